#include "http/cors.hpp"

#include <algorithm>
#include <cctype>

namespace routerly::http {

namespace {
constexpr const char* kAllowMethods = "GET,HEAD,POST,PUT,PATCH,DELETE";
constexpr const char* kMaxAgeSeconds = "600";
constexpr const char* kExposeHeaders = "x-routerly-trace-id";

bool origin_ok(std::string_view origin, const OriginPolicy& policy) {
  return !origin.empty() && policy && policy(origin);
}

// Appends `Origin` to an existing Vary list unless it is already there (or "*").
void add_vary_origin(Response& response) {
  std::string_view current = response.header("vary");
  if (current.empty()) {
    response.set_header("vary", "Origin");
    return;
  }
  std::string lower(current);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("origin") != std::string::npos || lower.find('*') != std::string::npos) return;
  response.set_header("vary", std::string(current) + ", Origin");
}
}  // namespace

Response preflight_response(const Request& request, const OriginPolicy& origin_allowed) {
  if (!request.has_header("origin"))
    return Response::error(ErrorCode::validation_error, "CORS preflight requires the Origin header");
  if (!request.has_header("access-control-request-method"))
    return Response::error(ErrorCode::validation_error,
                           "CORS preflight requires the Access-Control-Request-Method header");
  Response response = Response::no_content();
  if (!origin_ok(request.header("origin"), origin_allowed)) return response;
  response.set_header("access-control-allow-methods", kAllowMethods);
  std::string_view requested = request.header("access-control-request-headers");
  if (!requested.empty()) response.set_header("access-control-allow-headers", std::string(requested));
  response.set_header("access-control-max-age", kMaxAgeSeconds);
  return response;
}

void apply_cors(const Request& request, Response& response, const OriginPolicy& origin_allowed) {
  std::erase_if(response.headers, [](const Header& h) {
    return h.name.size() == 32 && std::equal(h.name.begin(), h.name.end(), "access-control-allow-credentials",
                                             [](char a, char b) { return std::tolower(a) == b; });
  });
  std::string_view origin = request.header("origin");
  if (origin.empty()) return;
  // The response differs per Origin either way, so caches must key on it.
  add_vary_origin(response);
  if (!origin_ok(origin, origin_allowed)) return;
  response.set_header("access-control-allow-origin", std::string(origin));
  response.set_header("access-control-expose-headers", kExposeHeaders);
}

}  // namespace routerly::http
