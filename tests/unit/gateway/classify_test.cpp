#include "gateway/classify.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "gateway/fallback.hpp"

namespace routerly::gateway {
namespace {

TEST(Classify, SuccessRequestFaultOrNextCandidate) {
  EXPECT_EQ(classify_status(200), Verdict::success);
  EXPECT_EQ(classify_status(201), Verdict::success);
  EXPECT_EQ(classify_status(400), Verdict::request_fault);
  EXPECT_EQ(classify_status(422), Verdict::request_fault);
  for (unsigned status : {401u, 403u, 404u, 408u, 409u, 429u, 500u, 502u, 503u, 504u, 529u})
    EXPECT_EQ(classify_status(status), Verdict::next_candidate) << status;
}

TEST(Classify, FailureTextCarriesStatusAndProviderMessage) {
  EXPECT_EQ(upstream_failure_text(503, R"({"error":{"message":"overloaded","type":"server_error"}})"),
            "503 overloaded");
  EXPECT_EQ(upstream_failure_text(429, R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})"),
            "429 slow down");
  std::string huge(1000, 'x');
  EXPECT_LT(upstream_failure_text(500, huge).size(), 320u);
}

TEST(Fallback, CandidatesFollowProjectOrder) {
  auto rt = testing::demo_runtime();
  Call call;
  auto order = order_candidates(call, *rt->project("p1"));
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(order[0]->target.model_id, "openai/gpt-4o");
  EXPECT_EQ(order[1]->target.model_id, "anthropic/claude");
}

TEST(Fallback, NoModelAvailableNamesEveryAttempt) {
  auto rt = testing::demo_runtime();
  std::vector<AttemptRecord> attempts{{"openai/gpt-4o", "openai", "error", "503 overloaded", 12},
                                      {"anthropic/claude", "anthropic", "timeout", "timeout after 20000 ms", 20000}};
  std::string message = no_model_available_message(*rt->project("p1"), attempts);
  EXPECT_NE(message.find("openai/gpt-4o (503 overloaded)"), std::string::npos) << message;
  EXPECT_NE(message.find("anthropic/claude (timeout after 20000 ms)"), std::string::npos) << message;
}

TEST(Fallback, NoModelAvailableWithoutCandidatesSaysWhy) {
  auto rt = testing::demo_runtime();
  EXPECT_NE(no_model_available_message(*rt->project("p2"), {}).find("has no models"), std::string::npos);
  std::string message = no_model_available_message(*rt->project("p1"), {});
  EXPECT_NE(message.find("gone/model"), std::string::npos) << message;
}
}  // namespace
}  // namespace routerly::gateway
