// GET /metrics (SPEC §00 P24): Prometheus text format 0.0.4. Public like /health so a
// scraper needs no account; when ROUTERLY_METRICS_TOKEN is set, the scraper must send it as
// `Authorization: Bearer <token>` (401 otherwise).
#include "gateway/metrics_route.hpp"

#include <cstdlib>

#include "common/crypto.hpp"
#include "metrics/registry.hpp"

namespace routerly::gateway {

namespace {

const std::string& metrics_token() {
  static const std::string token = [] {
    const char* env = std::getenv("ROUTERLY_METRICS_TOKEN");
    return std::string(env != nullptr ? env : "");
  }();
  return token;
}

}  // namespace

http::Response metrics_response(const http::Request& request) {
  const std::string& token = metrics_token();
  if (!token.empty() && !crypto::constant_time_equal(request.bearer_token(), token)) {
    return http::Response::error(ErrorCode::unauthorized,
                                 "GET /metrics requires Authorization: Bearer <ROUTERLY_METRICS_TOKEN>");
  }
  http::Response response = http::Response::text(200, metrics::Registry::instance().render(),
                                                 "text/plain; version=0.0.4; charset=utf-8");
  response.set_header("cache-control", "no-store");
  return response;
}

}  // namespace routerly::gateway
