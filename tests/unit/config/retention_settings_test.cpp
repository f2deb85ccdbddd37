// The retentionDays setting (issue 5): absent by default (keep forever), integer 1–3650.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/settings.hpp"

namespace {

using namespace routerly;
namespace json = boost::json;

TEST(RetentionSetting, AbsentByDefaultAndAccepted) {
  EXPECT_FALSE(config::default_settings().contains("retentionDays"));
  for (int64_t days : {1, 30, 3650}) {
    auto merged = config::merge_settings(config::default_settings(), json::object{{"retentionDays", days}});
    ASSERT_TRUE(merged) << merged.error().message;
    EXPECT_EQ(merged->at("retentionDays").as_int64(), days);
  }
  // null removes it again: back to keeping everything.
  auto set = config::merge_settings(config::default_settings(), json::object{{"retentionDays", 7}});
  ASSERT_TRUE(set);
  auto cleared = config::merge_settings(*set, json::parse(R"({"retentionDays":null})"));
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->contains("retentionDays"));
}

TEST(RetentionSetting, RejectsOutOfRangeAndNonIntegers) {
  for (const char* bad :
       {R"({"retentionDays":0})", R"({"retentionDays":3651})", R"({"retentionDays":-5})",
        R"({"retentionDays":1.5})", R"({"retentionDays":"30"})", R"({"retentionDays":true})"}) {
    auto merged = config::merge_settings(config::default_settings(), json::parse(bad));
    ASSERT_FALSE(merged) << bad;
    EXPECT_EQ(merged.error().code, ErrorCode::validation_error);
    EXPECT_NE(merged.error().message.find("'retentionDays'"), std::string::npos) << merged.error().message;
  }
}

}  // namespace
