// The request target as a client sends it: split into path and query, matched against a route
// table shaped like the gateway's and the admin API's, with its captures and query parameters
// percent-decoded.
//
// Where the target is turned into the path the router sees: the split below mirrors what
// src/http/connection.cpp does today (an internal function there). When the target
// normalisation gets its own pure function, call it from route_target() instead of the split.
#include "harness.hpp"

#include <string>

#include "http/message.hpp"
#include "http/router.hpp"

namespace {

using routerly::http::Request;
using routerly::http::Response;
using routerly::http::Router;

const Router& routes() {
  static const Router router = [] {
    Router r;
    auto ok = [](Request&) { return Response::no_content(); };
    for (const char* p : {"/v1/chat/completions", "/v1/messages", "/v1/messages/count_tokens", "/v1/responses",
                          "/projects/{slug}/v1/chat/completions", "/projects/{slug}/v1/messages"})
      r.add("POST", p, ok);
    for (const char* p : {"/v1/models", "/v1/models/{id}", "/v1/responses/{id}", "/v1/responses/{id}/input_items",
                          "/api/projects/{id}", "/api/projects/{id}/tokens/{tokenId}", "/health", "/dashboard/{path}"})
      r.add("GET", p, ok);
    r.add("DELETE", "/api/projects/{id}/tokens/{tokenId}", ok);
    return r;
  }();
  return router;
}

// Target → (path, query) as the server splits it today; see the note at the top.
void route_target(std::string_view target, Request& request) {
  request.target = std::string(target);
  if (!target.empty() && target.front() != '/' && target != "*") {
    const size_t scheme_end = target.find("://");
    if (scheme_end != std::string_view::npos) {
      const size_t path_start = target.find_first_of("/?", scheme_end + 3);
      target = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
    }
  }
  const size_t q = target.find('?');
  request.path = std::string(target.substr(0, q));
  if (request.path.empty()) request.path = "/";
  request.query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  const auto [knob, target] = fuzz::steer(fuzz::as_text(data, size));
  static constexpr const char* kMethods[] = {"GET", "POST", "DELETE", "OPTIONS"};
  Request request;
  request.method = kMethods[knob % 4];
  route_target(target, request);

  http::Match match = routes().match(request.method, request.path);
  if (match.status == http::MatchStatus::matched) {
    fuzz::fuzz_require(match.handler != nullptr || match.async_handler != nullptr, "a match carries its handler");
    request.params = std::move(match.params);
    for (const auto& [name, value] : request.params) (void)request.param(name);
  } else if (match.status == http::MatchStatus::method_not_allowed) {
    fuzz::fuzz_require(!match.allowed_methods.empty(), "a 405 names the allowed methods");
  }
  for (const char* name : {"limit", "cursor", "from", "to", "model"}) (void)request.query_param(name);
  const std::string decoded = http::percent_decode(request.path);
  fuzz::fuzz_require(decoded.size() <= request.path.size(), "percent-decoding never grows the text");
  (void)http::percent_decode(request.query, true);
  return 0;
}
