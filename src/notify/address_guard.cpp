#include "notify/address_guard.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <cctype>
#include <string>

namespace routerly::notify {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Four decimal octets 0–255 without leading zeros; the octets are returned.
bool canonical_ipv4(std::string_view host, std::array<int, 4>& octets) {
  std::size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (pos >= host.size() || host[pos] != '.') return false;
      ++pos;
    }
    std::size_t start = pos;
    int value = 0;
    while (pos < host.size() && std::isdigit(static_cast<unsigned char>(host[pos])) && pos - start < 3) {
      value = value * 10 + (host[pos] - '0');
      ++pos;
    }
    std::size_t len = pos - start;
    if (len == 0 || value > 255 || (len > 1 && host[start] == '0')) return false;
    octets[static_cast<std::size_t>(i)] = value;
  }
  return pos == host.size();
}

// A host that a resolver may read as a numeric IPv4 address in some non-canonical form:
// its last label is all digits, or a label is hexadecimal with 0x.
bool numeric_looking(std::string_view host) {
  auto dot = host.rfind('.');
  std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (!last.empty() && std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c); }))
    return true;
  return host.starts_with("0x") || host.find(".0x") != std::string_view::npos;
}

}  // namespace

bool is_private_host(std::string_view raw) {
  std::string host = lower(raw);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  while (!host.empty() && host.back() == '.') host.pop_back();  // "localhost." resolves the same
  if (host.empty()) return true;
  if (host == "localhost" || host.ends_with(".localhost")) return true;

  if (host.find(':') != std::string::npos) {  // IPv6 literal
    if (host == "::1" || host == "::" || host.starts_with("fc") || host.starts_with("fd") ||
        host.starts_with("fe8") || host.starts_with("fe9") || host.starts_with("fea") ||
        host.starts_with("feb"))
      return true;
    // IPv4-mapped (::ffff:a.b.c.d) is judged by its IPv4 part; other mapped spellings are refused.
    if (host.starts_with("::ffff:")) {
      std::string_view v4 = std::string_view(host).substr(7);
      std::array<int, 4> o{};
      return !canonical_ipv4(v4, o) || is_private_host(v4);
    }
    return false;
  }

  std::array<int, 4> o{};
  if (canonical_ipv4(host, o)) {
    return o[0] == 127 || o[0] == 10 || o[0] == 0 || (o[0] == 192 && o[1] == 168) ||
           (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 169 && o[1] == 254) ||
           (o[0] == 100 && o[1] == 100 && o[2] == 100 && o[3] == 200);
  }
  return numeric_looking(host);
}

Result<void> check_webhook_url(std::string_view url, bool allow_private) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return fail(ErrorCode::validation_error, "Webhook URL is not a valid absolute URL");
  std::string scheme = lower(parsed->scheme());
  if (scheme != "http" && scheme != "https")
    return fail(ErrorCode::validation_error, "Webhook URL must use http or https");
  std::string host(parsed->encoded_host_address());
  if (host.empty()) return fail(ErrorCode::validation_error, "Webhook URL has no host");
  if (!allow_private && is_private_host(host)) {
    return fail(ErrorCode::validation_error, "Webhook URL points to a private or loopback address (" + host +
                                                 "); set allowPrivateWebhooks to allow it");
  }
  return {};
}

}  // namespace routerly::notify
