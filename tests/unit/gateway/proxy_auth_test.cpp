#include "gateway/proxy_auth.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace routerly::gateway {
namespace {

http::Request with_headers(std::vector<http::Header> headers) {
  http::Request r;
  r.method = "POST";
  r.path = "/v1/chat/completions";
  r.headers = std::move(headers);
  return r;
}

TEST(ProxyAuth, TakesBearerThenXApiKey) {
  EXPECT_EQ(presented_token(with_headers({{"authorization", "Bearer  sk-rt-abc "}})), "sk-rt-abc");
  EXPECT_EQ(presented_token(with_headers({{"x-api-key", "sk-rt-xyz"}})), "sk-rt-xyz");
  EXPECT_EQ(presented_token(with_headers({{"authorization", "Bearer sk-rt-1"}, {"x-api-key", "sk-rt-2"}})), "sk-rt-1");
  EXPECT_EQ(presented_token(with_headers({{"authorization", "Basic abc"}})), "");
  EXPECT_EQ(presented_token(with_headers({})), "");
}

TEST(ProxyAuth, AcceptsTheProjectTokenEitherWay) {
  auto rt = testing::demo_runtime();
  for (auto header : {http::Header{"authorization", std::string("Bearer ") + testing::kToken},
                      http::Header{"x-api-key", testing::kToken}}) {
    auto caller = authenticate(with_headers({header}), *rt);
    ASSERT_TRUE(caller) << caller.error().message;
    EXPECT_EQ(caller->project->id, "p1");
    EXPECT_EQ(caller->token->token_id, "t1");
  }
}

TEST(ProxyAuth, RejectsMissingMalformedAndUnknownTokens) {
  auto rt = testing::demo_runtime();
  std::string unknown = std::string(testing::kToken);
  unknown.back() = '0';
  for (auto headers : {std::vector<http::Header>{}, std::vector<http::Header>{{"authorization", "Bearer nope"}},
                       std::vector<http::Header>{{"x-api-key", unknown}}}) {
    auto caller = authenticate(with_headers(headers), *rt);
    ASSERT_FALSE(caller);
    EXPECT_EQ(caller.error().code, ErrorCode::unauthorized);
  }
}

TEST(ProxyAuth, ProjectScopedPathMustMatchTheTokensProject) {
  auto rt = testing::demo_runtime();
  auto request = with_headers({{"x-api-key", testing::kToken}});
  request.params = {{"slug", "demo"}};
  EXPECT_TRUE(authenticate(request, *rt));
  request.params = {{"slug", "p1"}};
  EXPECT_TRUE(authenticate(request, *rt));
  request.params = {{"slug", "other"}};
  auto caller = authenticate(request, *rt);
  ASSERT_FALSE(caller);
  EXPECT_EQ(caller.error().code, ErrorCode::not_found);
}
}  // namespace
}  // namespace routerly::gateway
