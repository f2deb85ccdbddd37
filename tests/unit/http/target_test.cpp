#include "http/target.hpp"

#include <gtest/gtest.h>

namespace routerly::http {
namespace {

std::string path_of(std::string_view raw, std::string_view method = "POST") {
  auto t = parse_request_target(method, raw);
  EXPECT_TRUE(t.has_value()) << raw;
  return t ? t->path : std::string("<error>");
}

void expect_refused(std::string_view raw, std::string_view method = "POST") {
  auto t = parse_request_target(method, raw);
  ASSERT_FALSE(t.has_value()) << raw << " gave " << t->path;
  EXPECT_EQ(t.error().code, ErrorCode::validation_error);
  EXPECT_FALSE(t.error().message.empty());
}

TEST(RequestTarget, PlainOriginFormIsUnchanged) {
  auto t = parse_request_target("GET", "/api/usage?from=2024-01-01&limit=5");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/api/usage");
  EXPECT_EQ(t->query, "from=2024-01-01&limit=5");
  EXPECT_EQ(path_of("/"), "/");
  EXPECT_EQ(path_of("/v1/chat/completions"), "/v1/chat/completions");
}

TEST(RequestTarget, RefusesEveryFormButOriginForm) {
  for (std::string_view raw : {"@attacker.host/x", ".attacker.com/x", "http://attacker.host/v1/embeddings",
                               "https://attacker.host:8443/x", "HTTP://attacker.host", "attacker.host:443",
                               "127.0.0.1:9", "v1/chat/completions", "?x=1", "\\\\attacker\\x", ""})
    expect_refused(raw);
  expect_refused("attacker.host:443", "CONNECT");
}

TEST(RequestTarget, AsteriskOnlyForOptions) {
  auto t = parse_request_target("OPTIONS", "*");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "*");
  expect_refused("*", "GET");
  expect_refused("*", "POST");
}

TEST(RequestTarget, EverySpellingOfARouteIsItsCanonicalPath) {
  for (std::string_view raw :
       {"/v1//chat/completions", "/v1/./chat/completions", "/v1/x/../chat/completions", "/v1/%2e/chat/completions",
        "/v1/%2E/chat/completions", "//v1/chat/completions", "/v1/chat//completions", "///v1///chat///completions",
        "/v1/a/b/../../chat/completions", "/v1/%2e%2e/v1/chat/completions", "/v1/.%2E/v1/chat/completions",
        "/v1/%63hat/completions", "/%76%31/chat/completions", "/./v1/chat/completions"})
    EXPECT_EQ(path_of(raw), "/v1/chat/completions") << raw;
  EXPECT_EQ(path_of("/projects/acme/v1//embeddings"), "/projects/acme/v1/embeddings");
  EXPECT_EQ(path_of("/projects/acme/./v1/x/../embeddings"), "/projects/acme/v1/embeddings");
}

TEST(RequestTarget, TrailingSlashIsKept) {
  EXPECT_EQ(path_of("/v1/embeddings/"), "/v1/embeddings/");
  EXPECT_EQ(path_of("/v1/embeddings//"), "/v1/embeddings/");
  EXPECT_EQ(path_of("/v1/x/.."), "/v1/");
  EXPECT_EQ(path_of("/v1/."), "/v1/");
  EXPECT_EQ(path_of("//"), "/");
  EXPECT_EQ(path_of("/a/.."), "/");
}

TEST(RequestTarget, ClimbingAboveTheRootIsRefused) {
  for (std::string_view raw : {"/..", "/../v1/chat/completions", "/v1/../../x", "/%2e%2e/x", "/v1/%2E%2E/%2e%2e/x",
                               "//../x"})
    expect_refused(raw);
}

TEST(RequestTarget, EscapedSlashStaysInsideItsSegment) {
  EXPECT_EQ(path_of("/api/models/openai%2fgpt-4o"), "/api/models/openai%2Fgpt-4o");
  EXPECT_EQ(path_of("/api/models/openai%2Fgpt-4o/apikey"), "/api/models/openai%2Fgpt-4o/apikey");
  // An escaped slash next to dots is not a dot segment.
  EXPECT_EQ(path_of("/v1/%2e%2e%2fx"), "/v1/..%2Fx");
}

TEST(RequestTarget, MalformedEscapesAreRefused) {
  for (std::string_view raw : {"/v1/%", "/v1/%2", "/v1/%zz/x", "/v1/%2g", "/x?a=%", "/x?a=%4"}) expect_refused(raw);
}

TEST(RequestTarget, BytesThatMayNotAppearRawAreEscaped) {
  EXPECT_EQ(path_of("/a\\b"), "/a%5Cb");
  EXPECT_EQ(path_of("/a|b\"c"), "/a%7Cb%22c");
  EXPECT_EQ(path_of("/caf\xC3\xA9"), "/caf%C3%A9");
  EXPECT_EQ(path_of("/a#frag"), "/a%23frag");
  auto t = parse_request_target("GET", "/x?q=a|b&r={1}&s=%7c");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query, "q=a%7Cb&r=%7B1%7D&s=%7c");
}

TEST(RequestTarget, QueryIsNotNormalisedAsAPath) {
  auto t = parse_request_target("GET", "/x/../y?next=/a/../b//c");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/y");
  EXPECT_EQ(t->query, "next=/a/../b//c");
  t = parse_request_target("GET", "/y?");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query, "");
}

TEST(RequestTarget, SubDelimsColonAndAtStayRaw) {
  EXPECT_EQ(path_of("/v1/models/ft:gpt-4o:org@x;y=1,z+w"), "/v1/models/ft:gpt-4o:org@x;y=1,z+w");
}

}  // namespace
}  // namespace routerly::http
