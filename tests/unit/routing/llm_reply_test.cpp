#include <gtest/gtest.h>

#include <cmath>

#include "routing/llm/reply.hpp"

namespace routerly::routing::llm {
namespace {

TEST(LlmReply, PlainJson) {
  auto points = parse_routing_reply(R"({"routing":[{"model":"a","point":0.9},{"model":"b","point":0.2}]})");
  ASSERT_TRUE(points);
  ASSERT_EQ(points->size(), 2u);
  EXPECT_EQ((*points)[0].model, "a");
  EXPECT_DOUBLE_EQ((*points)[0].point, 0.9);
  EXPECT_EQ((*points)[1].model, "b");
  EXPECT_DOUBLE_EQ((*points)[1].point, 0.2);
  EXPECT_FALSE((*points)[0].reason);
}

TEST(LlmReply, FencedJsonWithReason) {
  auto points = parse_routing_reply(
      "```json\n{\"routing\":[{\"model\":\"a\",\"point\":1,\"reason\":\"simple\"}]}\n```\n");
  ASSERT_TRUE(points);
  ASSERT_EQ(points->size(), 1u);
  EXPECT_DOUBLE_EQ((*points)[0].point, 1.0);
  EXPECT_EQ((*points)[0].reason.value_or(""), "simple");
}

TEST(LlmReply, NonNumberPointIsZero) {
  auto points =
      parse_routing_reply(R"({"routing":[{"model":"a","point":"high"},{"model":"b"},{"point":1}]})");
  ASSERT_TRUE(points);
  ASSERT_EQ(points->size(), 2u);  // the entry without a model is skipped
  EXPECT_DOUBLE_EQ((*points)[0].point, 0.0);
  EXPECT_DOUBLE_EQ((*points)[1].point, 0.0);
}

TEST(LlmReply, PointsAreNotClamped) {
  auto points = parse_routing_reply(R"({"routing":[{"model":"a","point":1.3}]})");
  ASSERT_TRUE(points);
  EXPECT_DOUBLE_EQ((*points)[0].point, 1.3);
}

TEST(LlmReply, RegexRecoveryFromProse) {
  auto points = parse_routing_reply(
      "Sure! Here are the scores: {\"model\":\"a\",\"point\":0.7} and {\"model\": \"b\\\"x\", \"point\": "
      "3e-1, "
      "\"reason\": \"cheap\"} then {\"model\":\"c\",\"point\":");
  ASSERT_TRUE(points);
  ASSERT_EQ(points->size(), 2u);  // the cut-off third object is not complete
  EXPECT_EQ((*points)[0].model, "a");
  EXPECT_DOUBLE_EQ((*points)[0].point, 0.7);
  EXPECT_EQ((*points)[1].model, "b\"x");
  EXPECT_DOUBLE_EQ((*points)[1].point, 0.3);
  EXPECT_EQ((*points)[1].reason.value_or(""), "cheap");
}

TEST(LlmReply, RecoveryFromTruncatedJson) {
  auto points = parse_routing_reply(R"({"routing":[{"model":"a","point":0.8},{"model":"b","poi)");
  ASSERT_TRUE(points);
  ASSERT_EQ(points->size(), 1u);
  EXPECT_EQ((*points)[0].model, "a");
}

TEST(LlmReply, NothingUsable) {
  EXPECT_FALSE(parse_routing_reply("I think model a is best."));
  EXPECT_FALSE(parse_routing_reply(""));
  EXPECT_FALSE(parse_routing_reply(R"({"routing":[]})"));
  EXPECT_FALSE(parse_routing_reply(R"({"scores":{"a":1}})"));
}

TEST(LlmReply, StripFences) {
  EXPECT_EQ(strip_fences("```\n{}\n```"), "{}");
  EXPECT_EQ(strip_fences("  ```json\n{\"a\":1}```  "), "{\"a\":1}");
  EXPECT_EQ(strip_fences("{\"a\":1}"), "{\"a\":1}");
}

}  // namespace
}  // namespace routerly::routing::llm
