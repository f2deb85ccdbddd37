// The maxStreamMs setting: absent by default (no overall limit on a stream), integer
// 1000–86400000 ms, null removes it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/settings.hpp"

namespace {

using namespace routerly;
namespace json = boost::json;

TEST(MaxStreamSetting, AbsentByDefaultAndAccepted) {
  EXPECT_FALSE(config::default_settings().contains("maxStreamMs"));
  for (int64_t ms : {1000, 600000, 86400000}) {
    auto merged = config::merge_settings(config::default_settings(), json::object{{"maxStreamMs", ms}});
    ASSERT_TRUE(merged) << merged.error().message;
    EXPECT_EQ(merged->at("maxStreamMs").as_int64(), ms);
  }
  auto set = config::merge_settings(config::default_settings(), json::object{{"maxStreamMs", 5000}});
  ASSERT_TRUE(set);
  auto cleared = config::merge_settings(*set, json::parse(R"({"maxStreamMs":null})"));
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->contains("maxStreamMs"));
}

TEST(MaxStreamSetting, RejectsOutOfRangeAndNonIntegers) {
  for (const char* bad : {R"({"maxStreamMs":0})", R"({"maxStreamMs":999})", R"({"maxStreamMs":86400001})",
                          R"({"maxStreamMs":-1})", R"({"maxStreamMs":1.5})", R"({"maxStreamMs":"5000"})"}) {
    auto merged = config::merge_settings(config::default_settings(), json::parse(bad));
    ASSERT_FALSE(merged) << bad;
    EXPECT_EQ(merged.error().code, ErrorCode::validation_error);
    EXPECT_NE(merged.error().message.find("'maxStreamMs'"), std::string::npos) << merged.error().message;
  }
}

}  // namespace
