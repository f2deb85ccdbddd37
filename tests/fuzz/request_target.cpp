// The request target as a client sends it, through the server's own parser: only origin-form
// targets are accepted, the path is normalised once (and normalising it again changes nothing),
// and the pass-through URL built from it never leaves the configured endpoint's host and port.
// The accepted target is then matched against a route table shaped like the gateway's and the
// admin API's, with its captures and query parameters percent-decoded.
#include "harness.hpp"

#include <string>

#include <boost/url/parse.hpp>

#include "http/message.hpp"
#include "http/router.hpp"
#include "http/target.hpp"
#include "providers/adapter.hpp"

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

// The upstream URL of a pass-through call keeps the endpoint's scheme, host and port.
void check_passthrough_url(const routerly::http::RequestTarget& target) {
  static const routerly::providers::Target upstream = [] {
    routerly::providers::Target t;
    t.provider = "openai";
    t.endpoint = "https://api.example.test:8443/v1";
    return t;
  }();
  auto call = routerly::providers::passthrough_call(upstream, target.path, target.query);
  if (!call) return;
  auto url = boost::urls::parse_absolute_uri(call->url);
  routerly::fuzz::fuzz_require(url.has_value(), "the pass-through URL parses");
  routerly::fuzz::fuzz_require(url->scheme() == "https" && url->host() == "api.example.test" && url->port() == "8443",
                               "the pass-through URL keeps the endpoint's origin");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  const auto [knob, target] = fuzz::steer(fuzz::as_text(data, size));
  static constexpr const char* kMethods[] = {"GET", "POST", "DELETE", "OPTIONS"};
  Request request;
  request.method = kMethods[knob % 4];
  auto parsed = http::parse_request_target(request.method, target);
  if (!parsed) return 0;
  auto again = http::parse_request_target(request.method, parsed->path + (parsed->query.empty() ? "" : "?" + parsed->query));
  fuzz::fuzz_require(again.has_value() && again->path == parsed->path && again->query == parsed->query,
                     "a normalised target normalises to itself");
  if (parsed->path != "*") check_passthrough_url(*parsed);
  request.target = std::string(target);
  request.path = parsed->path;
  request.query = parsed->query;

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
