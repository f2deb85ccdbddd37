#include "gateway/classify.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include <boost/json.hpp>

#include "gateway/fallback.hpp"
#include "gateway/trace.hpp"
#include "routing/engine.hpp"

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

TEST(Fallback, CandidatesFollowProjectOrderWithoutPolicies) {
  // order_candidates (routing_step.cpp) feeds the project's candidates to the engine in project
  // order; with no enabled policy the engine keeps that order.
  auto rt = testing::demo_runtime();
  routing::EngineInput input;
  for (const Candidate& c : rt->project("p1")->candidates)
    input.candidates.push_back(routing::PolicyCandidate{c.target.model_id, c.model, {}, {}});
  routing::EngineResult result = routing::run_engine(input);
  ASSERT_EQ(result.ranked.size(), 2u);
  EXPECT_EQ(result.ranked[0].model, "openai/gpt-4o");
  EXPECT_EQ(result.ranked[1].model, "anthropic/claude");
}

TEST(Fallback, PoliciesSummaryForTheTraceChunk) {
  boost::json::array trace = boost::json::parse(R"([
    {"panel":"router-request","message":"router:policies","details":{"policies":[
      {"type":"llm","weight":2,"config":{}},{"type":"cheapest","weight":1,"config":{}}],"candidates":["a","b"]}},
    {"panel":"router-response","message":"policy:error:llm","details":{"type":"llm","error":"down"}},
    {"panel":"router-response","message":"policy:result:cheapest","details":{"type":"cheapest","weight":1,
      "routing":[{"model":"a","point":0.25,"contribution":0.25},{"model":"b","point":1,"contribution":1}]}}])")
                                   .as_array();
  EXPECT_EQ(boost::json::serialize(policies_summary(trace, "b")),
            R"([{"type":"llm","weight":2,"point":null,"failed":true},{"type":"cheapest","weight":1,"point":1}])");
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
