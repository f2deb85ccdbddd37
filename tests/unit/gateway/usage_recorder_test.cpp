#include "gateway/usage_recorder.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace routerly::gateway {
namespace {

namespace json = boost::json;

struct UsageRecorder : ::testing::Test {
  std::shared_ptr<const Runtime> rt = testing::demo_runtime();
  Call call;
  void SetUp() override {
    call.api = Api::messages;
    call.stream = true;
    call.trace_id = "trace-9";
    call.start_ms = 1000;
    call.caller.runtime = rt;
    call.caller.project = rt->project("p1");
    call.caller.token = rt->token_by_hash(auth::hash_project_token(testing::kToken));
    call.input_chars = 41;
  }
  const Candidate* gpt() const { return &rt->project("p1")->candidates[0]; }
};

TEST(TextChars, CountsTextNotLabelsOrImages) {
  json::value body = json::parse(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"text","text":"héllo"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
      {"role":"assistant","content":"abc"}],"system":"sys"})");
  EXPECT_EQ(text_chars(body), 5 + 3 + 3);
  EXPECT_EQ(estimate_tokens(0), 0);
  EXPECT_EQ(estimate_tokens(1), 1);
  EXPECT_EQ(estimate_tokens(8), 2);
  EXPECT_EQ(estimate_tokens(9), 3);
}

TEST_F(UsageRecorder, SuccessUsesProviderUsageAndPrices) {
  Served served{gpt()};
  served.answered = true;
  served.usage = formats::TokenUsage{1000, 500, 200, 0};
  served.ttft_ms = 40;
  store::UsageRow row = build_usage_row(call, served, 1250);
  EXPECT_EQ(row.project_id, "p1");
  EXPECT_EQ(row.project_slug, "demo");
  EXPECT_EQ(row.token_id, "t1");
  EXPECT_EQ(row.model_id, "openai/gpt-4o");
  EXPECT_EQ(row.provider, "openai");
  EXPECT_EQ(row.type, "messages");
  EXPECT_TRUE(row.stream);
  EXPECT_EQ(row.trace_id, "trace-9");
  EXPECT_EQ(row.latency_ms, 250);
  EXPECT_EQ(row.ttft_ms, 40);
  EXPECT_EQ(row.outcome, "success");
  EXPECT_EQ(row.input_tokens, 1000);
  EXPECT_EQ(row.output_tokens, 500);
  EXPECT_EQ(row.cached_input_tokens, 200);
  EXPECT_FALSE(row.tokens_estimated);
  // 1000 input at $2/M (cached at the input price: no cache price) + 500 output at $8/M.
  EXPECT_NEAR(row.cost, 0.002 + 0.004, 1e-12);
  EXPECT_DOUBLE_EQ(row.price_input, 2.0);
  ASSERT_FALSE(row.trace.empty());
  EXPECT_EQ(row.trace.back().at("message"), "model:success");
  EXPECT_EQ(row.trace.back().at("details").at("outputTokens"), 500);
}

// The last record takes the call's trace instead of a copy: same row, trace moved out.
TEST_F(UsageRecorder, LastRecordTakesTheTrace) {
  call.trace.push_back(json::object{{"panel", "router-request"}, {"message", "router:intake"}});
  call.trace.push_back(json::object{{"panel", "request"}, {"message", "model:request"}});
  Served served{gpt()};
  served.answered = true;
  served.usage = formats::TokenUsage{10, 5, 0, 0};
  store::UsageRow copied = build_usage_row(call, served, 1250);
  ASSERT_EQ(call.trace.size(), 2u);
  store::UsageRow last = build_last_usage_row(call, served, 1250);
  EXPECT_TRUE(call.trace.empty());
  EXPECT_EQ(last.trace, copied.trace);  // the two entries plus model:success
  ASSERT_EQ(last.trace.size(), 3u);
  EXPECT_EQ(last.trace[2].at("message"), "model:success");
  EXPECT_EQ(last.cost, copied.cost);
  EXPECT_EQ(last.input_tokens, 10);
  EXPECT_NE(last.id, copied.id);
}

TEST_F(UsageRecorder, EstimatesWhenTheProviderReportsNoUsage) {
  Served served{gpt()};
  served.answered = true;
  served.output_chars = 10;
  store::UsageRow row = build_usage_row(call, served, 2000);
  EXPECT_TRUE(row.tokens_estimated);
  EXPECT_EQ(row.input_tokens, 11);  // ceil(41 / 4)
  EXPECT_EQ(row.output_tokens, 3);  // ceil(10 / 4)
  EXPECT_GT(row.cost, 0);
}

TEST_F(UsageRecorder, FailureBeforeAnyAnswerCostsNothing) {
  call.trace.push_back(json::object{{"panel", "response"}, {"message", "model:error"}});
  Served served{gpt(), "timeout", "timeout after 5000 ms"};
  store::UsageRow row = build_usage_row(call, served, 2000);
  EXPECT_EQ(row.outcome, "timeout");
  EXPECT_EQ(row.error_message, "timeout after 5000 ms");
  EXPECT_EQ(row.input_tokens, 0);
  EXPECT_EQ(row.cost, 0);
  EXPECT_EQ(row.trace.size(), 1u);  // the loop's model:error entry, not repeated
}

TEST_F(UsageRecorder, ClientDisconnectKeepsTokensSeenSoFar) {
  Served served{gpt(), "error", "client_disconnected"};
  served.answered = true;
  served.output_chars = 40;
  store::UsageRow row = build_usage_row(call, served, 2000);
  EXPECT_EQ(row.outcome, "error");
  EXPECT_EQ(row.error_message, "client_disconnected");
  EXPECT_EQ(row.output_tokens, 10);
  EXPECT_EQ(row.trace.back().at("message"), "model:error");
}

TEST_F(UsageRecorder, NoCandidateAtAllStillGivesOneRecord) {
  Served served{nullptr, "error", "no usable model"};
  store::UsageRow row = build_usage_row(call, served, 2000);
  EXPECT_EQ(row.model_id, "");
  EXPECT_EQ(row.outcome, "error");
  EXPECT_EQ(row.trace.back().at("message"), "model:error");
}
}  // namespace
}  // namespace routerly::gateway
