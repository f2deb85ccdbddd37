#include "http/message.hpp"

#include <boost/json.hpp>

namespace routerly::http {

namespace {
bool iequals_lower(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string percent_decode(std::string_view in, bool plus_as_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    if (c == '+' && plus_as_space) c = ' ';
    out.push_back(c);
  }
  return out;
}

std::string_view Request::header(std::string_view lower_name) const {
  for (const auto& h : headers)
    if (iequals_lower(h.name, lower_name)) return h.value;
  return {};
}

bool Request::has_header(std::string_view lower_name) const {
  for (const auto& h : headers)
    if (iequals_lower(h.name, lower_name)) return true;
  return false;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    if (key == name) return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string_view Request::bearer_token() const {
  std::string_view auth = header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (auth.size() <= kPrefix.size() || auth.substr(0, kPrefix.size()) != kPrefix) return {};
  auth.remove_prefix(kPrefix.size());
  while (!auth.empty() && (auth.front() == ' ' || auth.front() == '\t')) auth.remove_prefix(1);
  while (!auth.empty() && (auth.back() == ' ' || auth.back() == '\t')) auth.remove_suffix(1);
  return auth;
}

Response& Response::set_header(std::string name, std::string value) {
  for (auto& h : headers) {
    if (h.name == name) {
      h.value = std::move(value);
      return *this;
    }
  }
  headers.push_back({std::move(name), std::move(value)});
  return *this;
}

std::string_view Response::header(std::string_view lower_name) const {
  for (const auto& h : headers)
    if (iequals_lower(h.name, lower_name)) return h.value;
  return {};
}

Response Response::json(unsigned status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  r.headers.push_back({"content-type", "application/json; charset=utf-8"});
  return r;
}

Response Response::error(const Error& error) {
  Response r;
  r.status = http_status(error.code);
  r.body = error_body(error);
  r.headers.push_back({"content-type", "application/json; charset=utf-8"});
  return r;
}

Response Response::error(ErrorCode code, std::string message) { return error(Error{code, std::move(message)}); }

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::redirect(std::string location) {
  Response r;
  r.status = 302;
  r.headers.push_back({"location", std::move(location)});
  return r;
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.push_back({"content-type", std::move(content_type)});
  return r;
}

}  // namespace routerly::http
