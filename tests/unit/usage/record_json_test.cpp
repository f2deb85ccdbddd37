#include "usage/record_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace {

using namespace routerly;

store::UsageRow sample() {
  store::UsageRow r;
  r.id = "0190a000-0000-7000-8000-000000000001";
  r.timestamp_ms = 1'767'225'600'123;  // 2026-01-01T00:00:00.123Z
  r.project_id = "p1";
  r.project_slug = "alpha";
  r.token_id = "t1";
  r.model_id = "openai/gpt-4o";
  r.provider = "openai";
  r.type = "chat";
  r.input_tokens = 1000;
  r.output_tokens = 500;
  r.cost = 0.00725;
  r.cost_input = 0.00225;
  r.cost_output = 0.005;
  r.price_input = 2.5;
  r.price_output = 10;
  r.latency_ms = 2000;
  r.trace_id = "trace-1";
  r.trace = boost::json::array{boost::json::object{{"panel", "request"}}};
  return r;
}

TEST(RecordJson, SpecShapeOfAPlainRecord) {
  auto o = usage::record_json(sample(), false);
  auto expected = boost::json::parse(R"({
    "id":"0190a000-0000-7000-8000-000000000001","timestamp":"2026-01-01T00:00:00.123Z",
    "projectId":"p1","projectSlug":"alpha","tokenId":"t1","modelId":"openai/gpt-4o","provider":"openai",
    "type":"chat","inputTokens":1000,"outputTokens":500,"tokensEstimated":false,"cost":0.00725,
    "costInput":0.00225,"costOutput":0.005,"priceInput":2.5,"priceOutput":10.0,"latencyMs":2000,
    "tokensPerSec":750,"stream":false,"outcome":"success","callType":"completion","traceId":"trace-1"})");
  EXPECT_EQ(boost::json::value(o), expected) << boost::json::serialize(o);
}

TEST(RecordJson, OptionalMembers) {
  auto r = sample();
  r.cached_input_tokens = 3;
  r.cache_creation_input_tokens = 4;
  r.ttft_ms = 120;
  r.outcome = "error";
  r.error_message = "client_disconnected";
  r.stream = true;
  r.tokens_estimated = true;
  auto o = usage::record_json(r, true);
  EXPECT_EQ(o.at("cachedInputTokens"), 3);
  EXPECT_EQ(o.at("cacheCreationInputTokens"), 4);
  EXPECT_EQ(o.at("ttftMs"), 120);
  EXPECT_EQ(o.at("errorMessage"), "client_disconnected");
  EXPECT_EQ(o.at("stream"), true);
  EXPECT_EQ(o.at("tokensEstimated"), true);
  EXPECT_EQ(o.at("trace"), r.trace);
}

TEST(RecordJson, TokensPerSecRoundsAndNeedsLatency) {
  auto r = sample();
  r.input_tokens = 10;
  r.output_tokens = 1;
  r.latency_ms = 3000;  // 11 / 3 = 3.67 → 4
  EXPECT_EQ(usage::record_json(r, false).at("tokensPerSec"), 4);
  r.latency_ms = 0;
  auto o = usage::record_json(r, false);
  EXPECT_FALSE(o.contains("tokensPerSec"));
  EXPECT_FALSE(o.contains("trace"));
  EXPECT_FALSE(o.contains("cachedInputTokens"));
  EXPECT_FALSE(o.contains("ttftMs"));
  EXPECT_FALSE(o.contains("errorMessage"));
}

}  // namespace
