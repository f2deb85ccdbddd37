#include "config/limits.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace {

using namespace routerly;
namespace json = boost::json;

json::value parse(std::string_view text) {
  return json::parse(text);
}

json::object normalized(std::string_view limit) {
  auto out = config::normalize_limit(parse(limit), "limits[0]");
  EXPECT_TRUE(out) << limit << ": " << (out ? "" : out.error().message);
  return out ? *out : json::object{};
}

std::string error_of(std::string_view limit) {
  auto out = config::normalize_limit(parse(limit), "limits[0]");
  if (out) return "";
  EXPECT_EQ(out.error().code, ErrorCode::validation_error);
  return out.error().message;
}

json::object period(std::string_view metric, std::string_view p, json::value value) {
  return json::object{{"metric", metric}, {"windowType", "period"}, {"period", p}, {"value", value}};
}

json::object rolling(std::string_view metric, int64_t n, std::string_view unit, json::value value) {
  return json::object{{"metric", metric},
                      {"windowType", "rolling"},
                      {"rollingAmount", n},
                      {"rollingUnit", unit},
                      {"value", value}};
}

TEST(Limits, CanonicalFormsPassThrough) {
  EXPECT_EQ(normalized(R"({"metric":"cost","windowType":"period","period":"daily","value":5.5})"),
            period("cost", "daily", 5.5));
  EXPECT_EQ(
      normalized(
          R"({"metric":"calls","windowType":"rolling","rollingAmount":24,"rollingUnit":"hour","value":10})")
          .at("rollingAmount")
          .as_int64(),
      24);
  for (const char* metric : {"cost", "calls", "input_tokens", "output_tokens", "total_tokens"}) {
    EXPECT_EQ(error_of(std::string(R"({"metric":")") + metric +
                       R"(","windowType":"period","period":"hourly","value":1})"),
              "");
  }
  for (const char* p : {"hourly", "daily", "weekly", "monthly", "yearly"}) {
    EXPECT_EQ(error_of(std::string(R"({"metric":"cost","period":")") + p + R"(","value":1})"), "");
  }
  for (const char* unit : {"second", "minute", "hour", "day", "week", "month"}) {
    EXPECT_EQ(error_of(std::string(R"({"metric":"cost","rollingAmount":2,"rollingUnit":")") + unit +
                       R"(","value":1})"),
              "");
  }
}

TEST(Limits, ExtraMembersAreDroppedAndValueKeepsItsType) {
  auto out = normalized(R"({"metric":"calls","windowType":"period","period":"daily","value":3,"note":"x"})");
  EXPECT_FALSE(out.contains("note"));
  EXPECT_TRUE(out.at("value").is_int64());
}

TEST(Limits, WindowTypeInferredAndAmountDefaultsToOne) {
  EXPECT_EQ(normalized(R"({"metric":"cost","period":"weekly","value":1})"), period("cost", "weekly", 1));
  auto r = normalized(R"({"metric":"cost","rollingUnit":"day","value":1})");
  EXPECT_EQ(r.at("windowType").as_string(), "rolling");
  EXPECT_EQ(r.at("rollingAmount").as_int64(), 1);
}

TEST(Limits, LegacyWindowStringInCanonicalForm) {
  EXPECT_EQ(normalized(R"({"metric":"cost","windowType":"period","window":"minute","value":1})")
                .at("period")
                .as_string(),
            "hourly");
  EXPECT_EQ(normalized(R"({"metric":"cost","windowType":"period","window":"year","value":1})")
                .at("period")
                .as_string(),
            "yearly");
}

TEST(Limits, FriendlyNamedWindows) {
  EXPECT_EQ(normalized(R"({"metric":"cost","limit":10,"window":"monthly"})"), period("cost", "monthly", 10));
  EXPECT_EQ(normalized(R"({"metric":"cost","limit":10,"window":"day"})"), period("cost", "daily", 10));
  EXPECT_EQ(normalized(R"({"metric":"cost","limit":10,"window":"hour"})"), period("cost", "hourly", 10));
  EXPECT_EQ(normalized(R"({"metric":"cost","limit":10,"window":"minute"})"), period("cost", "hourly", 10));
  EXPECT_EQ(normalized(R"({"metric":"cost","limit":10,"window":"week"})"), period("cost", "weekly", 10));
  EXPECT_EQ(normalized(R"({"metric":"cost","limit":10,"window":"year"})"), period("cost", "yearly", 10));
  EXPECT_EQ(normalized(R"({"metric":"cost","limit":10,"window":"day","mode":"calendar"})"),
            period("cost", "daily", 10));
  EXPECT_EQ(normalized(R"({"metric":"cost","limit":10,"window":"day","mode":"hard"})"),
            period("cost", "daily", 10));
}

TEST(Limits, FriendlyRollingWindows) {
  EXPECT_EQ(normalized(R"({"metric":"calls","limit":100,"window":"rolling 24 hours"})"),
            rolling("calls", 24, "hour", 100));
  EXPECT_EQ(normalized(R"({"metric":"calls","limit":100,"window":"rolling 1 minute"})"),
            rolling("calls", 1, "minute", 100));
  EXPECT_EQ(normalized(R"({"metric":"calls","limit":5,"window":"rolling_hour"})"),
            rolling("calls", 1, "hour", 5));
  EXPECT_EQ(normalized(R"({"metric":"calls","limit":5,"window":{"rolling":7,"unit":"day"}})"),
            rolling("calls", 7, "day", 5));
  EXPECT_EQ(normalized(R"({"metric":"calls","limit":5,"window":"minute","mode":"rolling"})"),
            rolling("calls", 1, "minute", 5));
  EXPECT_EQ(normalized(R"({"metric":"calls","limit":5,"window":"daily","mode":"rolling"})"),
            rolling("calls", 1, "day", 5));
}

TEST(Limits, ErrorsNameTheField) {
  EXPECT_EQ(error_of(R"([1])"), "field 'limits[0]' must be an object");
  EXPECT_EQ(error_of(R"({"limit":1,"window":"day"})"), "field 'limits[0].metric' is required");
  EXPECT_EQ(error_of(R"({"metric":"dollars","limit":1,"window":"day"})"),
            "field 'limits[0].metric' must be one of cost, calls, input_tokens, output_tokens, total_tokens");
  EXPECT_EQ(error_of(R"({"metric":"cost","window":"day"})"), "field 'limits[0].value' is required");
  EXPECT_EQ(error_of(R"({"metric":"cost","limit":-1,"window":"day"})"),
            "field 'limits[0].limit' must be a number of at least 0");
  EXPECT_EQ(error_of(R"({"metric":"cost","value":"5","period":"daily"})"),
            "field 'limits[0].value' must be a number of at least 0");
  EXPECT_EQ(error_of(R"({"metric":"cost","value":1})"), "field 'limits[0].windowType' is required");
  EXPECT_EQ(error_of(R"({"metric":"cost","windowType":"sliding","value":1})"),
            "field 'limits[0].windowType' must be one of period, rolling");
  EXPECT_EQ(error_of(R"({"metric":"cost","windowType":"period","value":1})"),
            "field 'limits[0].period' is required");
  EXPECT_EQ(error_of(R"({"metric":"cost","windowType":"period","period":"daylong","value":1})"),
            "field 'limits[0].period' must be one of hourly, daily, weekly, monthly, yearly");
  EXPECT_EQ(
      error_of(R"({"metric":"cost","windowType":"rolling","rollingAmount":0,"rollingUnit":"day","value":1})"),
      "field 'limits[0].rollingAmount' must be an integer of at least 1");
  EXPECT_EQ(
      error_of(
          R"({"metric":"cost","windowType":"rolling","rollingAmount":1.5,"rollingUnit":"day","value":1})"),
      "field 'limits[0].rollingAmount' must be an integer of at least 1");
  EXPECT_EQ(error_of(R"({"metric":"cost","windowType":"rolling","rollingUnit":"year","value":1})"),
            "field 'limits[0].rollingUnit' must be one of second, minute, hour, day, week, month");
  EXPECT_EQ(error_of(R"({"metric":"cost","windowType":"rolling","value":1})"),
            "field 'limits[0].rollingUnit' is required");
  EXPECT_NE(error_of(R"({"metric":"cost","limit":1,"window":"fortnight"})")
                .find("field 'limits[0].window' must be"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"metric":"cost","limit":1,"window":"rolling 0 hours"})").find("limits[0].window"),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"metric":"cost","limit":1,"window":"rolling 2 fortnights"})").find("limits[0].window"),
      std::string::npos);
  EXPECT_EQ(error_of(R"({"metric":"cost","limit":1,"window":{"rolling":0,"unit":"day"}})"),
            "field 'limits[0].window.rolling' must be an integer of at least 1");
  EXPECT_EQ(error_of(R"({"metric":"cost","limit":1,"window":{"rolling":1,"unit":"year"}})"),
            "field 'limits[0].window.unit' must be one of second, minute, hour, day, week, month");
  EXPECT_EQ(error_of(R"({"metric":"cost","limit":1,"window":"day","mode":"soft-ish"})"),
            "field 'limits[0].mode' must be one of calendar, rolling");
  EXPECT_EQ(error_of(R"({"metric":"cost","limit":1,"window":"yearly","mode":"rolling"})"),
            "field 'limits[0].window' must be at most a month long when rolling");
}

TEST(Limits, ZeroValueIsAllowed) {
  EXPECT_EQ(normalized(R"({"metric":"calls","limit":0,"window":"daily"})"), period("calls", "daily", 0));
}

TEST(Limits, ArraysIndexTheirErrors) {
  auto ok = config::normalize_limits(parse(R"([{"metric":"cost","limit":1,"window":"day"},
                                                {"metric":"calls","value":2,"period":"hourly"}])"),
                                     "budgets");
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].as_object(), period("cost", "daily", 1));

  auto bad = config::normalize_limits(parse(R"([{"metric":"cost","limit":1,"window":"day"},
                                                 {"metric":"bytes","limit":1,"window":"day"}])"),
                                      "budgets");
  ASSERT_FALSE(bad);
  EXPECT_EQ(
      bad.error().message,
      "field 'budgets[1].metric' must be one of cost, calls, input_tokens, output_tokens, total_tokens");
  auto not_array = config::normalize_limits(parse(R"({"metric":"cost"})"), "budgets");
  ASSERT_FALSE(not_array);
  EXPECT_EQ(not_array.error().message, "field 'budgets' must be an array of limits");
  auto empty = config::normalize_limits(parse("[]"), "budgets");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Limits, LimitsMode) {
  for (const char* mode : {"replace", "extend", "disable"}) {
    auto out = config::normalize_limits_mode(json::value(mode), "limitsMode");
    ASSERT_TRUE(out);
    EXPECT_EQ(*out, mode);
  }
  auto bad = config::normalize_limits_mode(json::value("merge"), "models[0].limitsMode");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::validation_error);
  EXPECT_EQ(bad.error().message, "field 'models[0].limitsMode' must be one of replace, extend, disable");
  EXPECT_FALSE(config::normalize_limits_mode(json::value(1), "limitsMode"));
}

}  // namespace
