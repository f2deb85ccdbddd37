#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "routing/llm/config.hpp"

namespace routerly::routing::llm {
namespace {

namespace json = boost::json;

json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(LlmConfig, DefaultsAndFloors) {
  auto c = read_llm_config(
      obj(R"({"routingModelId":"r","fallbackModelIds":["f1",2,"f2"],"maxCompletionTokens":10})"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->routing_models(), (std::vector<std::string>{"r", "f1", "f2"}));
  EXPECT_TRUE(c->auto_routing);
  EXPECT_FALSE(c->thinking);
  EXPECT_FALSE(c->include_reason);
  EXPECT_FALSE(c->memory);
  EXPECT_EQ(c->memory_count, 5);
  EXPECT_EQ(c->max_completion_tokens.value_or(0), 50);
  EXPECT_FALSE(c->max_user_message_chars);
  EXPECT_EQ(c->timeout.count(), 8000);
  auto t = read_llm_config(obj(R"({"routingModelId":"r","timeoutMs":250})"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->timeout.count(), 250);
}

TEST(LlmConfig, RoutingModelRequired) {
  auto c = read_llm_config(obj(R"({"fallbackModelIds":["x"]})"));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "llm policy: routingModelId is required");
  EXPECT_FALSE(read_llm_config(obj(R"({"routingModelId":""})")));
}

TEST(LlmConfig, Validation) {
  EXPECT_TRUE(validate_llm_config(obj(R"({"routingModelId":"r","fallbackModelIds":["a"],"autoRouting":false,
      "thinking":true,"includeReason":true,"maxCompletionTokens":200,"memory":true,"memoryCount":3,"timeoutMs":5000,
      "cache":{"enabled":true,"embedding_model":"e","similarity_threshold":0.9}})")));
  auto missing = validate_llm_config(obj(R"({})"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("config.routingModelId"), std::string::npos);
  auto bad_item = validate_llm_config(obj(R"({"routingModelId":"r","fallbackModelIds":["a",1]})"));
  ASSERT_FALSE(bad_item);
  EXPECT_NE(bad_item.error().message.find("config.fallbackModelIds[1]"), std::string::npos);
  auto bad_bool = validate_llm_config(obj(R"({"routingModelId":"r","memory":"yes"})"));
  ASSERT_FALSE(bad_bool);
  EXPECT_NE(bad_bool.error().message.find("config.memory"), std::string::npos);
  EXPECT_FALSE(validate_llm_config(obj(R"({"routingModelId":"r","memoryCount":-1})")));
  EXPECT_FALSE(validate_llm_config(obj(R"({"routingModelId":"r","maxCompletionTokens":1.5})")));
  auto bad_cache = validate_llm_config(obj(R"({"routingModelId":"r","cache":{"similarity_threshold":2}})"));
  ASSERT_FALSE(bad_cache);
  EXPECT_NE(bad_cache.error().message.find("config.cache.similarity_threshold"), std::string::npos);
}

}  // namespace
}  // namespace routerly::routing::llm
