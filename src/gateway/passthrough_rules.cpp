#include "gateway/passthrough_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace routerly::gateway {
namespace json = boost::json;

namespace {

constexpr std::array kHopByHop{
    "connection", "keep-alive",         "proxy-connection",   "te", "trailer", "transfer-encoding",
    "upgrade",    "proxy-authenticate", "proxy-authorization"};

bool hop_by_hop(std::string_view name) {
  return std::find(kHopByHop.begin(), kHopByHop.end(), name) != kHopByHop.end();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Header names listed in `connection:` values are hop-by-hop too (RFC 9110 §7.6.1).
std::vector<std::string> connection_tokens(const std::vector<http::Header>& headers) {
  std::vector<std::string> out;
  for (const http::Header& h : headers) {
    if (h.name != "connection") continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view token = trim(rest.substr(0, comma));
      if (!token.empty()) out.push_back(lower(token));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

bool is_reserved_path(std::string_view path) {
  if (path == "/" || path.empty() || path == "/health" || path == "/metrics" || path == "/api") return true;
  return path.starts_with("/api/") || path.starts_with("/dashboard");
}

std::optional<ScopedPath> split_project_path(std::string_view path) {
  constexpr std::string_view kPrefix = "/projects/";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = path.substr(kPrefix.size());
  std::size_t slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  std::string_view tail = rest.substr(slash);
  if (tail != "/v1" && !tail.starts_with("/v1/")) return std::nullopt;
  return ScopedPath{http::percent_decode(rest.substr(0, slash)), std::string(tail)};
}

const Candidate* pick_passthrough_model(const std::vector<Candidate>& candidates, const json::object* body,
                                        bool& matched) {
  matched = false;
  if (candidates.empty()) return nullptr;
  if (body != nullptr) {
    if (const json::value* m = body->if_contains("model");
        m != nullptr && m->is_string() && !m->get_string().empty()) {
      std::string_view model = m->get_string();
      for (const Candidate& c : candidates) {
        const std::string& id = c.target.model_id;
        bool suffix =
            id.size() > model.size() && id.ends_with(model) && id[id.size() - model.size() - 1] == '/';
        if (id == model || c.target.upstream_model == model || suffix) {
          matched = true;
          return &c;
        }
      }
    }
  }
  return &candidates.front();
}

std::vector<http::Header> forward_request_headers(const std::vector<http::Header>& inbound,
                                                  const std::vector<http::Header>& adapter_headers) {
  std::vector<std::string> dropped = connection_tokens(inbound);
  for (const http::Header& h : adapter_headers) dropped.push_back(h.name);
  std::vector<http::Header> out;
  for (const http::Header& h : inbound) {
    std::string_view n = h.name;
    if (hop_by_hop(n) || n == "host" || n == "content-length" || n == "authorization" || n == "x-api-key" ||
        n == "accept-encoding" || n.starts_with("x-routerly-") || contains(dropped, n)) {
      continue;
    }
    // Repeated headers are joined (§1.4.7 step 5).
    auto same = std::find_if(out.begin(), out.end(), [&](const http::Header& o) { return o.name == n; });
    if (same != out.end())
      same->value += ", " + h.value;
    else
      out.push_back(h);
  }
  for (const http::Header& h : adapter_headers) out.push_back(h);
  return out;
}

std::vector<http::Header> relay_response_headers(const std::vector<http::Header>& upstream) {
  std::vector<std::string> dropped = connection_tokens(upstream);
  std::vector<http::Header> out;
  for (const http::Header& h : upstream) {
    std::string_view n = h.name;
    if (hop_by_hop(n) || n == "content-length" || n == "x-routerly-trace-id" || n == "set-cookie" ||
        contains(dropped, n))
      continue;
    out.push_back(h);
  }
  return out;
}

namespace {

// Keys of a usage object and the count each one gives.
enum class Count { input, output };
struct UsageKey {
  std::string_view key;  // with its quotes
  Count count;
};
constexpr std::array kUsageKeys{UsageKey{"\"prompt_tokens\"", Count::input},
                                UsageKey{"\"input_tokens\"", Count::input},
                                UsageKey{"\"completion_tokens\"", Count::output},
                                UsageKey{"\"output_tokens\"", Count::output}};
constexpr std::size_t kCarry = 64;  // longer than any key + blanks + colon + 19 digits

// The number after `"key"` + blanks + ':' + blanks at `i`; nullopt when there is none or it may
// go on in the next piece.
std::optional<int64_t> number_after(std::string_view text, std::size_t i, bool final) {
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i >= text.size() || text[i] != ':') return std::nullopt;
  ++i;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t digits = i;
  int64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - digits < 18) {
    n = n * 10 + (text[i] - '0');
    ++i;
  }
  if (i == digits) return std::nullopt;
  if (i == text.size() && !final) return std::nullopt;
  return n;
}

// The billable pass-through routes (POST only).
constexpr std::array kBillableRoutes{
    BillableRoute{"/v1/completions", "completions", "prompt"},
    BillableRoute{"/v1/embeddings", "embeddings", "input"},
    BillableRoute{"/v1/images/", "images", "prompt"},
    BillableRoute{"/v1/audio/", "audio", "input"},
    BillableRoute{"/v1/moderations", "moderations", "input"},
};

int64_t code_points(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

void UsageSniffer::scan(std::string_view text, bool final) {
  // In text order, so that the last occurrence of each count wins.
  std::size_t from = 0;
  while (true) {
    std::size_t at = std::string_view::npos;
    const UsageKey* found = nullptr;
    for (const UsageKey& k : kUsageKeys) {
      std::size_t pos = text.find(k.key, from);
      if (pos < at) {
        at = pos;
        found = &k;
      }
    }
    if (found == nullptr) return;
    from = at + found->key.size();
    if (auto n = number_after(text, from, final)) (found->count == Count::input ? input_ : output_) = *n;
  }
}

void UsageSniffer::feed(std::string_view piece) {
  std::string text = carry_;
  text.append(piece);
  // Matches wholly inside the carried part were seen before; rescanning them is harmless.
  scan(text, false);
  carry_ = text.size() > kCarry ? text.substr(text.size() - kCarry) : text;
}

void UsageSniffer::finish() {
  scan(carry_, true);
  carry_.clear();
}

const BillableRoute* billable_route(std::string_view method, std::string_view path) {
  if (method != "POST") return nullptr;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // the router's trailing-slash rule
  for (const BillableRoute& route : kBillableRoutes) {
    bool prefix = route.path.back() == '/';
    if (prefix ? path.size() > route.path.size() && path.starts_with(route.path) : path == route.path)
      return &route;
  }
  return nullptr;
}

int64_t input_chars(const json::object& body, std::string_view field) {
  const json::value* input = body.if_contains(field);
  if (input == nullptr) return 0;
  if (input->is_string()) return code_points(input->get_string());
  int64_t total = 0;
  if (input->is_array()) {
    for (const json::value& item : input->get_array()) {
      if (item.is_string())
        total += code_points(item.get_string());
      else if (item.is_number())
        total += 4;  // one token id
      else if (item.is_array())
        total += 4 * static_cast<int64_t>(item.get_array().size());
      else if (const json::value* text = item.is_object() ? item.get_object().if_contains("text") : nullptr;
               text != nullptr && text->is_string())
        total += code_points(text->get_string());
    }
  }
  return total;
}

bool is_proxy_path(std::string_view path) {
  return path == "/v1" || path.starts_with("/v1/") || split_project_path(path).has_value();
}

}  // namespace routerly::gateway
