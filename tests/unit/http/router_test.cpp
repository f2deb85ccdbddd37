#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace routerly::http {
namespace {

// A handler that answers with a fixed body, so a test can tell which route matched.
BlockingHandler tagged(std::string tag) {
  return [tag](Request&) { return Response::text(200, tag, "text/plain"); };
}

std::string run(const Match& m) {
  Request r;
  return (*m.handler)(r).body;
}

TEST(Router, MatchesLiteralRoute) {
  Router router;
  router.add("GET", "/health", tagged("health"));
  Match m = router.match("GET", "/health");
  ASSERT_EQ(m.status, MatchStatus::matched);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(run(m), "health");
  EXPECT_TRUE(m.params.empty());
}

TEST(Router, RootPath) {
  Router router;
  router.add("GET", "/", tagged("root"));
  router.add("GET", "/health", tagged("health"));
  Match m = router.match("GET", "/");
  ASSERT_EQ(m.status, MatchStatus::matched);
  EXPECT_EQ(run(m), "root");
  EXPECT_EQ(router.match("GET", "/nope").status, MatchStatus::not_found);
}

TEST(Router, UnknownPathIsNotFound) {
  Router router;
  router.add("GET", "/api/models", tagged("models"));
  Match m = router.match("GET", "/api/projects");
  EXPECT_EQ(m.status, MatchStatus::not_found);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(router.match("GET", "/api").status, MatchStatus::not_found);
  EXPECT_EQ(router.match("GET", "/api/models/x").status, MatchStatus::not_found);
}

TEST(Router, CapturesAreNamedAndPercentDecoded) {
  Router router;
  router.add("GET", "/api/models/{id}", tagged("model"));
  Match m = router.match("GET", "/api/models/openai%2Fgpt-4o");
  ASSERT_EQ(m.status, MatchStatus::matched);
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "openai/gpt-4o");
}

TEST(Router, EncodedSlashDoesNotSplitSegments) {
  Router router;
  router.add("GET", "/api/models/{id}/apikey", tagged("apikey"));
  Match m = router.match("GET", "/api/models/anthropic%2Fclaude%203/apikey");
  ASSERT_EQ(m.status, MatchStatus::matched);
  EXPECT_EQ(m.params.at(0).second, "anthropic/claude 3");
  // An unencoded slash is a separator, so this is a different (unknown) path.
  EXPECT_EQ(router.match("GET", "/api/models/openai/gpt-4o/apikey").status, MatchStatus::not_found);
}

TEST(Router, PlusIsNotASpaceInPaths) {
  Router router;
  router.add("GET", "/a/{x}", tagged("a"));
  EXPECT_EQ(router.match("GET", "/a/b+c").params.at(0).second, "b+c");
}

TEST(Router, SeveralCaptures) {
  Router router;
  router.add("DELETE", "/api/projects/{id}/tokens/{tokenId}", tagged("del"));
  Match m = router.match("DELETE", "/api/projects/my-proj/tokens/tok%201");
  ASSERT_EQ(m.status, MatchStatus::matched);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"id", "my-proj"}));
  EXPECT_EQ(m.params[1], (std::pair<std::string, std::string>{"tokenId", "tok 1"}));
}

TEST(Router, TrailingSlashTolerated) {
  Router router;
  router.add("GET", "/api/models", tagged("models"));
  router.add("GET", "/api/models/{id}", tagged("model"));
  EXPECT_EQ(router.match("GET", "/api/models/").status, MatchStatus::matched);
  EXPECT_EQ(run(router.match("GET", "/api/models/")), "models");
  Match m = router.match("GET", "/api/models/x/");
  ASSERT_EQ(m.status, MatchStatus::matched);
  EXPECT_EQ(m.params.at(0).second, "x");
}

TEST(Router, EmptySegmentsNeverMatch) {
  Router router;
  router.add("GET", "/api/models/{id}", tagged("model"));
  router.add("GET", "/api/models", tagged("models"));
  EXPECT_EQ(router.match("GET", "/api//models").status, MatchStatus::not_found);
  EXPECT_EQ(router.match("GET", "/api/models//").status, MatchStatus::not_found);
}

TEST(Router, LiteralCaseMatters) {
  Router router;
  router.add("GET", "/api/models", tagged("models"));
  EXPECT_EQ(router.match("GET", "/API/models").status, MatchStatus::not_found);
}

TEST(Router, HeadMatchesGetRoutes) {
  Router router;
  router.add("GET", "/api/models/{id}", tagged("get"));
  Match m = router.match("HEAD", "/api/models/a%2Fb");
  ASSERT_EQ(m.status, MatchStatus::matched);
  EXPECT_EQ(run(m), "get");
  EXPECT_EQ(m.params.at(0).second, "a/b");
}

TEST(Router, ExplicitHeadRouteWinsOverGet) {
  Router router;
  router.add("GET", "/x", tagged("get"));
  router.add("HEAD", "/x", tagged("head"));
  EXPECT_EQ(run(router.match("HEAD", "/x")), "head");
  EXPECT_EQ(run(router.match("GET", "/x")), "get");
}

TEST(Router, MethodNotAllowedListsMethods) {
  Router router;
  router.add("GET", "/api/models/{id}", tagged("get"));
  router.add("DELETE", "/api/models/{id}", tagged("delete"));
  router.add("PUT", "/api/models/{id}", tagged("put"));
  router.add("POST", "/api/models", tagged("create"));
  Match m = router.match("POST", "/api/models/abc");
  EXPECT_EQ(m.status, MatchStatus::method_not_allowed);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.allowed_methods, "GET, HEAD, PUT, DELETE");
}

TEST(Router, MethodNotAllowedWithoutGet) {
  Router router;
  router.add("POST", "/api/auth/login", tagged("login"));
  Match m = router.match("GET", "/api/auth/login");
  EXPECT_EQ(m.status, MatchStatus::method_not_allowed);
  EXPECT_EQ(m.allowed_methods, "POST");
  EXPECT_EQ(router.match("HEAD", "/api/auth/login").status, MatchStatus::method_not_allowed);
}

TEST(Router, MethodIsComparedUpperCase) {
  Router router;
  router.add("post", "/x", tagged("x"));
  EXPECT_EQ(router.match("POST", "/x").status, MatchStatus::matched);
}

TEST(Router, LiteralBeatsCaptureRegardlessOfOrder) {
  Router router;
  router.add("GET", "/api/projects/{id}", tagged("one"));
  router.add("GET", "/api/projects/stats", tagged("stats"));
  EXPECT_EQ(run(router.match("GET", "/api/projects/stats")), "stats");
  EXPECT_EQ(run(router.match("GET", "/api/projects/other")), "one");

  Router reversed;
  reversed.add("GET", "/api/projects/stats", tagged("stats"));
  reversed.add("GET", "/api/projects/{id}", tagged("one"));
  EXPECT_EQ(run(reversed.match("GET", "/api/projects/stats")), "stats");
}

TEST(Router, EarlierLiteralSegmentIsMoreSpecific) {
  Router router;
  router.add("GET", "/{a}/x", tagged("capture-first"));
  router.add("GET", "/y/{b}", tagged("literal-first"));
  EXPECT_EQ(run(router.match("GET", "/y/x")), "literal-first");
}

TEST(Router, RejectsMalformedPatterns) {
  Router router;
  EXPECT_THROW(router.add("GET", "no-slash", tagged("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/api/{id", tagged("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/api/x{id}", tagged("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/api", BlockingHandler{}), std::invalid_argument);
}

TEST(Router, AsyncRoutesMatchWithTheirKind) {
  Router router;
  router.add("GET", "/v1/models", tagged("blocking"));
  router.add_async("POST", "/v1/chat/{op}", [](Exchange&) -> boost::asio::awaitable<void> { co_return; });
  Match async = router.match("POST", "/v1/chat/completions");
  ASSERT_EQ(async.status, MatchStatus::matched);
  EXPECT_EQ(async.kind, HandlerKind::async);
  EXPECT_NE(async.async_handler, nullptr);
  EXPECT_EQ(async.handler, nullptr);
  ASSERT_EQ(async.params.size(), 1u);
  EXPECT_EQ(async.params[0].second, "completions");

  Match blocking = router.match("GET", "/v1/models");
  EXPECT_EQ(blocking.kind, HandlerKind::blocking);
  EXPECT_EQ(blocking.async_handler, nullptr);
  EXPECT_EQ(run(blocking), "blocking");

  Match wrong = router.match("GET", "/v1/chat/completions");
  EXPECT_EQ(wrong.status, MatchStatus::method_not_allowed);
  EXPECT_EQ(wrong.allowed_methods, "POST");
  EXPECT_THROW(router.add_async("GET", "/x", AsyncHandler{}), std::invalid_argument);
}

TEST(Router, AnyMethodRouteTakesWhatTheNamedMethodsLeave) {
  Router router;
  router.add("POST", "/v1/chat/completions", tagged("named"));
  router.add("*", "/v1/chat/completions", tagged("any"));
  router.add("GET", "/v1/models", tagged("models"));
  router.add("*", "/v1/models", tagged("any-models"));
  EXPECT_EQ(run(router.match("POST", "/v1/chat/completions")), "named");
  EXPECT_EQ(run(router.match("GET", "/v1/chat/completions")), "any");
  EXPECT_EQ(run(router.match("DELETE", "/v1/chat/completions/")), "any");
  EXPECT_EQ(run(router.match("HEAD", "/v1/models")), "models");  // GET serves HEAD first
  EXPECT_EQ(run(router.match("PUT", "/v1/models")), "any-models");
  EXPECT_EQ(router.match("GET", "/v1/other").status, MatchStatus::not_found);
}

TEST(Router, ServerAnswerHookIsOptional) {
  Router router;
  Request request;
  request.path = "/v1/x";
  Response response = Response::error(ErrorCode::not_found, "x");
  router.decorate_server_answer(request, response);  // no hook: nothing happens
  EXPECT_TRUE(response.header("x-seen").empty());
  router.on_server_answer([](const Request& r, Response& res) { res.set_header("x-seen", r.path); });
  router.decorate_server_answer(request, response);
  EXPECT_EQ(response.header("x-seen"), "/v1/x");
}

}  // namespace
}  // namespace routerly::http
