#include "budget/window.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"

namespace routerly::budget {
namespace {

using test::obj;
using test::utc;

TEST(PeriodStart, HourlyAndDailyAreUtcBoundaries) {
  const int64_t now = utc(2026, 11, 24, 10, 30, 15, 250);
  EXPECT_EQ(period_start("hourly", now), utc(2026, 11, 24, 10));
  EXPECT_EQ(period_start("daily", now), utc(2026, 11, 24));
  EXPECT_EQ(period_start("daily", utc(2026, 11, 24)), utc(2026, 11, 24));  // the boundary itself
  EXPECT_EQ(period_start("daily", utc(2026, 11, 24) - 1), utc(2026, 11, 23));
}

TEST(PeriodStart, WeeksStartOnMonday) {
  // 2026-11-24 is a Tuesday; 2026-11-23 a Monday; 2026-11-29 a Sunday.
  EXPECT_EQ(period_start("weekly", utc(2026, 11, 24, 10)), utc(2026, 11, 23));
  EXPECT_EQ(period_start("weekly", utc(2026, 11, 23)), utc(2026, 11, 23));
  EXPECT_EQ(period_start("weekly", utc(2026, 11, 29, 23, 59, 59)), utc(2026, 11, 23));
  EXPECT_EQ(period_start("weekly", utc(2026, 11, 30)), utc(2026, 11, 30));
  // A week spanning a year boundary: Thursday 1 Jan 2026 → Monday 29 Dec 2025.
  EXPECT_EQ(period_start("weekly", utc(2026, 1, 1, 12)), utc(2025, 12, 29));
  // The epoch was a Thursday.
  EXPECT_EQ(period_start("weekly", 0), utc(1969, 12, 29));
}

TEST(PeriodStart, MonthsAndYears) {
  EXPECT_EQ(period_start("monthly", utc(2026, 11, 24, 10)), utc(2026, 11, 1));
  EXPECT_EQ(period_start("monthly", utc(2026, 12, 1)), utc(2026, 12, 1));
  EXPECT_EQ(period_start("monthly", utc(2026, 11, 30, 23, 59, 59, 999)), utc(2026, 11, 1));
  EXPECT_EQ(period_start("monthly", utc(2028, 2, 29, 5)), utc(2028, 2, 1));  // leap day
  EXPECT_EQ(period_start("monthly", utc(2028, 3, 1)), utc(2028, 3, 1));
  EXPECT_EQ(period_start("yearly", utc(2026, 11, 24, 10)), utc(2026, 1, 1));
  EXPECT_EQ(period_start("yearly", utc(2027, 1, 1) - 1), utc(2026, 1, 1));
}

TEST(Window, RollingStartsAmountTimesUnitBack) {
  const int64_t now = utc(2026, 11, 24, 10, 30, 15, 250);
  Window w;
  w.rolling = true;
  w.amount = 30;
  w.unit = "second";
  EXPECT_EQ(w.start(now), now - 30'000);
  w.amount = 24;
  w.unit = "hour";
  EXPECT_EQ(w.start(now), now - 24 * kHourMs);
  w.amount = 2;
  w.unit = "week";
  EXPECT_EQ(w.start(now), now - 14 * kDayMs);
  w.amount = 1;
  w.unit = "month";  // = 30 days
  EXPECT_EQ(w.start(now), now - 30 * kDayMs);
}

TEST(Window, LabelsAndInstanceKeys) {
  auto spec = parse_limit(
      obj(R"({"metric":"cost","windowType":"rolling","rollingAmount":24,"rollingUnit":"hour","value":5})"));
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->window.label(), "rolling 24 hours");
  auto one = parse_limit(
      obj(R"({"metric":"calls","windowType":"rolling","rollingAmount":1,"rollingUnit":"minute","value":5})"));
  EXPECT_EQ(one->window.label(), "rolling 1 minute");
  auto monthly = parse_limit(obj(R"({"metric":"cost","windowType":"period","period":"monthly","value":5})"));
  EXPECT_EQ(monthly->window.label(), "monthly");
  EXPECT_EQ(monthly->window.instance_key(utc(2026, 11, 24, 10)), "monthly@2026-11-01");
  EXPECT_NE(monthly->window.instance_key(utc(2026, 11, 30)), monthly->window.instance_key(utc(2026, 12, 1)));
  auto hourly = parse_limit(obj(R"({"metric":"cost","period":"hourly","value":5})"));
  EXPECT_EQ(hourly->window.instance_key(utc(2026, 11, 24, 10, 59)), "hourly@2026-11-24T10Z");
}

TEST(ParseLimit, StoredAndLegacyForms) {
  auto legacy = parse_limit(obj(R"({"metric":"cost","window":"week","value":3})"));
  ASSERT_TRUE(legacy);
  EXPECT_FALSE(legacy->window.rolling);
  EXPECT_EQ(legacy->window.period, "weekly");
  auto other = parse_limit(obj(R"({"metric":"cost","window":"fortnight","value":3})"));
  EXPECT_EQ(other->window.period, "daily");
  auto rolling = parse_limit(obj(R"({"metric":"total_tokens","rollingUnit":"day","value":1000})"));
  ASSERT_TRUE(rolling);
  EXPECT_TRUE(rolling->window.rolling);
  EXPECT_EQ(rolling->window.amount, 1);
  EXPECT_DOUBLE_EQ(rolling->value, 1000);
  EXPECT_FALSE(parse_limit(obj(R"({"metric":"dollars","period":"daily","value":3})")));
  EXPECT_FALSE(parse_limit(obj(R"({"metric":"cost","period":"daily"})")));
}

TEST(Window, PeriodEndIsTheNextPeriodsStart) {
  const int64_t now = utc(2026, 12, 31, 23, 59, 59, 999);
  EXPECT_EQ(period_end("hourly", now), utc(2027, 1, 1));
  EXPECT_EQ(period_end("daily", now), utc(2027, 1, 1));
  EXPECT_EQ(period_end("weekly", now), utc(2027, 1, 4));  // Monday
  EXPECT_EQ(period_end("monthly", now), utc(2027, 1, 1));
  EXPECT_EQ(period_end("yearly", now), utc(2027, 1, 1));
  EXPECT_EQ(period_end("monthly", utc(2027, 2, 1)), utc(2027, 3, 1));  // the boundary itself
  EXPECT_EQ(period_end("daily", utc(2026, 11, 24, 10, 30)), utc(2026, 11, 25));
}

}  // namespace
}  // namespace routerly::budget
