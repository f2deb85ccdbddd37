#include "routing/validate.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::routing {
namespace {

namespace json = boost::json;

std::string error_of(std::string_view type, std::string_view config) {
  auto r = validate_policy_config(type, json::parse(config).as_object(), "policies[0].config");
  return r ? std::string() : r.error().message;
}

TEST(ValidatePolicyConfig, AcceptsDefaultsAndValidValues) {
  EXPECT_EQ(error_of("health", R"({})"), "");
  EXPECT_EQ(
      error_of("health", R"({"windowMinutes":20,"halfLifeMinutes":0,"pseudoCounts":2,"circuitBreaker":1})"),
      "");
  EXPECT_EQ(error_of("rate-limit", R"({"windowMinutes":1,"maxCallsPerWindow":10})"), "");
  EXPECT_EQ(error_of("cheapest", R"({"anything":true})"), "");
  EXPECT_EQ(error_of("llm", R"({"routingModelId":"m","fallbackModelIds":["a"],"includeReason":true})"), "");
  EXPECT_EQ(
      error_of(
          "semantic-intent",
          R"({"embedding_provider":"ollama","embedding_model":"e","intents":{"code":{"examples":["x"],"candidate_models":["m"]}}})"),
      "");
}

TEST(ValidatePolicyConfig, NamesTheOffendingKey) {
  EXPECT_EQ(error_of("health", R"({"windowMinutes":0})"),
            "field 'policies[0].config.windowMinutes' must be greater than 0");
  EXPECT_EQ(error_of("health", R"({"circuitBreaker":1.5})"),
            "field 'policies[0].config.circuitBreaker' must be greater than 0 and at most 1");
  EXPECT_EQ(error_of("performance", R"({"minSamples":"3"})"),
            "field 'policies[0].config.minSamples' must be a number");
  EXPECT_EQ(error_of("fairness", R"({"windowMinutes":-5})"),
            "field 'policies[0].config.windowMinutes' must be greater than 0");
  EXPECT_EQ(error_of("llm", R"({"routingModelId":"m","fallbackModelIds":[1]})"),
            "field 'policies[0].config.fallbackModelIds' must be an array of strings");
  EXPECT_EQ(error_of("semantic-intent", R"({"embedding_provider":"cohere"})"),
            "field 'policies[0].config.embedding_provider' must be \"openai\" or \"ollama\"");
  EXPECT_EQ(error_of("semantic-intent", R"({"intents":{"code":{"examples":"x"}}})"),
            "field 'policies[0].config.intents.code.examples' must be an array of strings");
  EXPECT_NE(error_of("nope", R"({})"), "");
}

TEST(ValidatePolicyConfig, LlmNeedsItsRoutingModelAndAValidCache) {
  EXPECT_EQ(error_of("llm", R"({})"),
            "field 'policies[0].config.routingModelId' is required: the model that scores the candidates");
  EXPECT_EQ(error_of("llm", R"({"routingModelId":""})"),
            "field 'policies[0].config.routingModelId' is required: the model that scores the candidates");
  EXPECT_EQ(error_of("llm", R"({"routingModelId":"m","timeoutMs":0})"),
            "field 'policies[0].config.timeoutMs' must be between 1 and 600000");
  // The semantic cache block is checked by the policy's own rules, re-rooted at this path.
  const std::string cache_error = error_of("llm", R"({"routingModelId":"m","cache":"yes"})");
  EXPECT_EQ(cache_error.rfind("field 'policies[0].config.cache", 0), 0u) << cache_error;
}

}  // namespace
}  // namespace routerly::routing
