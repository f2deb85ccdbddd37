#include "http/cors.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "http/guarded_call.hpp"

namespace routerly::http {
namespace {

const OriginPolicy kOnlyGood = [](std::string_view origin) { return origin == "https://good.example"; };

Request with_headers(std::vector<Header> headers) {
  Request r;
  r.method = "OPTIONS";
  r.path = "/api/models";
  r.headers = std::move(headers);
  return r;
}

std::string error_code_of(const Response& r) {
  return std::string(boost::json::parse(r.body).as_object().at("error").as_string());
}

TEST(Cors, PreflightAllowedOrigin) {
  Request req = with_headers({{"origin", "https://good.example"},
                              {"access-control-request-method", "POST"},
                              {"access-control-request-headers", "authorization, content-type"}});
  Response res = preflight_response(req, kOnlyGood);
  apply_cors(req, res, kOnlyGood);
  EXPECT_EQ(res.status, 204u);
  EXPECT_EQ(res.header("access-control-allow-methods"), "GET,HEAD,POST,PUT,PATCH,DELETE");
  EXPECT_EQ(res.header("access-control-allow-headers"), "authorization, content-type");
  EXPECT_EQ(res.header("access-control-max-age"), "600");
  EXPECT_EQ(res.header("access-control-allow-origin"), "https://good.example");
  EXPECT_EQ(res.header("vary"), "Origin");
  EXPECT_EQ(res.header("access-control-expose-headers"), "x-routerly-trace-id");
  EXPECT_FALSE(res.header("access-control-allow-credentials").size());
  EXPECT_TRUE(res.body.empty());
}

TEST(Cors, PreflightWithoutRequestHeadersOmitsAllowHeaders) {
  Request req = with_headers({{"origin", "https://good.example"}, {"access-control-request-method", "GET"}});
  Response res = preflight_response(req, kOnlyGood);
  EXPECT_EQ(res.status, 204u);
  EXPECT_TRUE(res.header("access-control-allow-headers").empty());
}

TEST(Cors, PreflightDisallowedOriginIsBare204) {
  Request req = with_headers({{"origin", "https://evil.example"}, {"access-control-request-method", "POST"}});
  Response res = preflight_response(req, kOnlyGood);
  apply_cors(req, res, kOnlyGood);
  EXPECT_EQ(res.status, 204u);
  EXPECT_TRUE(res.header("access-control-allow-origin").empty());
  EXPECT_TRUE(res.header("access-control-allow-methods").empty());
}

TEST(Cors, PreflightNeedsOriginAndRequestMethod) {
  Response no_origin =
      preflight_response(with_headers({{"access-control-request-method", "POST"}}), kOnlyGood);
  EXPECT_EQ(no_origin.status, 400u);
  EXPECT_EQ(error_code_of(no_origin), "validation_error");
  EXPECT_NE(no_origin.body.find("Origin"), std::string::npos);

  Response no_method = preflight_response(with_headers({{"origin", "https://good.example"}}), kOnlyGood);
  EXPECT_EQ(no_method.status, 400u);
  EXPECT_NE(no_method.body.find("Access-Control-Request-Method"), std::string::npos);
}

TEST(Cors, SimpleRequestAllowedOrigin) {
  Request req = with_headers({{"origin", "https://good.example"}});
  Response res = Response::text(200, "ok", "text/plain");
  res.set_header("access-control-allow-credentials", "true");
  apply_cors(req, res, kOnlyGood);
  EXPECT_EQ(res.header("access-control-allow-origin"), "https://good.example");
  EXPECT_EQ(res.header("access-control-expose-headers"), "x-routerly-trace-id");
  EXPECT_EQ(res.header("vary"), "Origin");
  EXPECT_TRUE(res.header("access-control-allow-credentials").empty());
}

TEST(Cors, VaryIsMergedNotReplaced) {
  Request req = with_headers({{"origin", "https://good.example"}});
  Response res = Response::text(200, "ok", "text/plain");
  res.set_header("vary", "Accept-Encoding");
  apply_cors(req, res, kOnlyGood);
  EXPECT_EQ(res.header("vary"), "Accept-Encoding, Origin");
  apply_cors(req, res, kOnlyGood);  // idempotent
  EXPECT_EQ(res.header("vary"), "Accept-Encoding, Origin");
}

TEST(Cors, DisallowedOrNoOriginGetsNoAllowOrigin) {
  Response res = Response::text(200, "ok", "text/plain");
  apply_cors(with_headers({{"origin", "https://evil.example"}}), res, kOnlyGood);
  EXPECT_TRUE(res.header("access-control-allow-origin").empty());
  EXPECT_TRUE(res.header("access-control-expose-headers").empty());

  Response plain = Response::text(200, "ok", "text/plain");
  apply_cors(with_headers({}), plain, kOnlyGood);
  EXPECT_TRUE(plain.header("access-control-allow-origin").empty());
  EXPECT_TRUE(plain.header("vary").empty());
}

TEST(Cors, EmptyPolicyAllowsNothing) {
  Response res = Response::text(200, "ok", "text/plain");
  apply_cors(with_headers({{"origin", "https://good.example"}}), res, OriginPolicy{});
  EXPECT_TRUE(res.header("access-control-allow-origin").empty());
}

TEST(GuardedCall, PassesResponseThrough) {
  Request req;
  req.path = "/p";
  Response res = call_guarded([](Request& r) { return Response::text(201, r.path, "text/plain"); }, req);
  EXPECT_EQ(res.status, 201u);
  EXPECT_EQ(res.body, "/p");
}

TEST(GuardedCall, ExceptionBecomes500Envelope) {
  Request req;
  Response res = call_guarded([](Request&) -> Response { throw std::runtime_error("secret detail"); }, req);
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(error_code_of(res), "internal_error");
  EXPECT_EQ(res.body.find("secret detail"), std::string::npos);

  Response odd = call_guarded([](Request&) -> Response { throw 42; }, req);
  EXPECT_EQ(odd.status, 500u);
}

TEST(GuardedCall, EmptyHandlerIs404) {
  Request req;
  Response res = call_guarded({}, req);
  EXPECT_EQ(res.status, 404u);
  EXPECT_EQ(error_code_of(res), "not_found");
}

}  // namespace
}  // namespace routerly::http
