#include "cli/routing_edit.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::cli {
namespace {

namespace json = boost::json;

json::array arr(const char* text) {
  return json::parse(text).as_array();
}

TEST(ParsePolicyConfig, AcceptsAnObjectAndNamesTheFlagOtherwise) {
  auto ok = parse_policy_config(R"({"maxLatencyMs": 2000})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at("maxLatencyMs").as_int64(), 2000);

  auto broken = parse_policy_config("{maxLatencyMs: 2000");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::validation_error);
  EXPECT_NE(broken.error().message.find("--config is not valid JSON"), std::string::npos);

  auto list = parse_policy_config("[1,2]");
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find("must be a JSON object"), std::string::npos);
}

TEST(EnablePolicy, AppendsAnAbsentPolicyEnabled) {
  auto out = enable_policy(arr(R"([{"type":"health","enabled":true}])"), "cheapest", std::nullopt);
  EXPECT_EQ(json::serialize(out), R"([{"type":"health","enabled":true},{"type":"cheapest","enabled":true}])");
}

TEST(EnablePolicy, ReenablesInPlaceAndReplacesTheConfigOnlyWhenGiven) {
  const auto start =
      arr(R"([{"type":"health","enabled":false,"config":{"a":1}},{"type":"cheapest","enabled":true}])");
  auto kept = enable_policy(start, "health", std::nullopt);
  EXPECT_EQ(json::serialize(kept[0]), R"({"type":"health","enabled":true,"config":{"a":1}})");
  auto replaced = enable_policy(start, "health", json::object{{"b", 2}});
  EXPECT_EQ(json::serialize(replaced[0]), R"({"type":"health","enabled":true,"config":{"b":2}})");
  EXPECT_EQ(replaced.size(), 2u);
}

TEST(EnablePolicy, TurnsTheStringShorthandIntoAnObject) {
  auto out = enable_policy(arr(R"(["cheapest"])"), "cheapest", json::object{{"x", true}});
  EXPECT_EQ(json::serialize(out), R"([{"type":"cheapest","enabled":true,"config":{"x":true}}])");
}

TEST(DisablePolicy, KeepsPlaceAndConfigAndRefusesAnAbsentType) {
  auto out =
      disable_policy(arr(R"([{"type":"health","enabled":true,"config":{"a":1}},"cheapest"])"), "health");
  ASSERT_TRUE(out);
  EXPECT_EQ(json::serialize((*out)[0]), R"({"type":"health","enabled":false,"config":{"a":1}})");
  auto missing = disable_policy(arr(R"([{"type":"health","enabled":true}])"), "llm");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().message.find("configured: health"), std::string::npos);
}

TEST(ReorderPolicies, PutsTheNamedFirstAndKeepsTheRestInOrder) {
  const auto start = arr(R"([{"type":"a"},{"type":"b"},{"type":"c"},{"type":"d"}])");
  auto out = reorder_policies(start, {"c", "a"});
  ASSERT_TRUE(out);
  EXPECT_EQ(json::serialize(*out), R"([{"type":"c"},{"type":"a"},{"type":"b"},{"type":"d"}])");
  EXPECT_FALSE(reorder_policies(start, {"c", "c"}));
  auto unknown = reorder_policies(start, {"zzz"});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("'zzz'"), std::string::npos);
  EXPECT_FALSE(reorder_policies(start, {}));
}

TEST(PoolModels, AddRemoveAndPrompt) {
  const auto start = arr(R"([{"modelId":"m1","limits":[{"metric":"calls"}]}])");
  auto added = add_pool_model(start, "m2", std::string("for code"));
  ASSERT_TRUE(added);
  EXPECT_EQ(json::serialize(*added),
            R"([{"modelId":"m1","limits":[{"metric":"calls"}]},{"modelId":"m2","prompt":"for code"}])");
  auto dup = add_pool_model(*added, "m1", std::nullopt);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::conflict);

  auto prompted = set_pool_prompt(*added, "m1", "cheap tasks");
  ASSERT_TRUE(prompted);
  EXPECT_EQ(json::serialize((*prompted)[0]),
            R"({"modelId":"m1","limits":[{"metric":"calls"}],"prompt":"cheap tasks"})");
  auto cleared = set_pool_prompt(*prompted, "m1", "");
  ASSERT_TRUE(cleared);
  EXPECT_FALSE((*cleared)[0].as_object().contains("prompt"));
  EXPECT_FALSE(set_pool_prompt(*prompted, "nope", "x"));

  auto removed = remove_pool_model(*added, "m1");
  ASSERT_TRUE(removed);
  EXPECT_EQ(json::serialize(*removed), R"([{"modelId":"m2","prompt":"for code"}])");
  auto absent = remove_pool_model(*removed, "m1");
  ASSERT_FALSE(absent);
  EXPECT_NE(absent.error().message.find("models: m2"), std::string::npos);
}

}  // namespace
}  // namespace routerly::cli
