#include "store/usage_rollup_plan.hpp"

#include <gtest/gtest.h>

namespace {

using namespace routerly::store;

constexpr int64_t kJan1 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

TEST(PlanWindow, CutsDaysHoursAndPartialHours) {
  const int64_t from = kJan1 + 5 * kHourMs + 17;            // 05:00:00.017 on Jan 1
  const int64_t to = kJan1 + 3 * kDayMs + 2 * kHourMs + 9;  // 02:00:00.009 on Jan 4
  auto pieces = plan_window(from, to, false, false);
  std::vector<WindowPiece> expected{
      {from, kJan1 + 6 * kHourMs, std::nullopt},
      {kJan1 + 6 * kHourMs, kJan1 + kDayMs, Grain::hour},
      {kJan1 + kDayMs, kJan1 + 3 * kDayMs, Grain::day},
      {kJan1 + 3 * kDayMs, kJan1 + 3 * kDayMs + 2 * kHourMs, Grain::hour},
      {kJan1 + 3 * kDayMs + 2 * kHourMs, to, std::nullopt},
  };
  EXPECT_EQ(pieces, expected);

  // Hour buckets wanted: no day grain.
  EXPECT_EQ(plan_window(from, to, true, false),
            (std::vector<WindowPiece>{{from, kJan1 + 6 * kHourMs, std::nullopt},
                                      {kJan1 + 6 * kHourMs, kJan1 + 3 * kDayMs + 2 * kHourMs, Grain::hour},
                                      {kJan1 + 3 * kDayMs + 2 * kHourMs, to, std::nullopt}}));
  // Token or type filters: whole days from day_full, the rest from the rows; all rows when
  // hour buckets are wanted.
  EXPECT_EQ(plan_window(from, to, false, true),
            (std::vector<WindowPiece>{{from, kJan1 + kDayMs, std::nullopt},
                                      {kJan1 + kDayMs, kJan1 + 3 * kDayMs, Grain::day_full},
                                      {kJan1 + 3 * kDayMs, to, std::nullopt}}));
  EXPECT_EQ(plan_window(from, to, true, true), (std::vector<WindowPiece>{{from, to, std::nullopt}}));
}

TEST(PlanWindow, AlignedAndTinyAndOpenWindows) {
  EXPECT_EQ(plan_window(kJan1, kJan1 + 2 * kDayMs, false, false),
            (std::vector<WindowPiece>{{kJan1, kJan1 + 2 * kDayMs, Grain::day}}));
  EXPECT_EQ(plan_window(kJan1 + 10, kJan1 + 20, false, false),
            (std::vector<WindowPiece>{{kJan1 + 10, kJan1 + 20, std::nullopt}}));
  EXPECT_TRUE(plan_window(kJan1, kJan1, false, false).empty());
  EXPECT_TRUE(plan_window(kJan1 + 5, kJan1, false, false).empty());
  // Less than a day of whole hours: hour grain only.
  EXPECT_EQ(plan_window(kJan1 + kHourMs, kJan1 + 3 * kHourMs, false, false),
            (std::vector<WindowPiece>{{kJan1 + kHourMs, kJan1 + 3 * kHourMs, Grain::hour}}));
  // No bounds: everything from the epoch in days, the far end open.
  auto open = plan_window(std::nullopt, std::nullopt, false, false);
  ASSERT_FALSE(open.empty());
  EXPECT_EQ(open.front().from_ms, 0);
  EXPECT_EQ(open.front().grain, Grain::day);
}

TEST(RollupDelta, OneRowCountsOnceInEveryGrain) {
  routerly::store::UsageRow r;
  r.timestamp_ms = kJan1 + kDayMs + 3 * kHourMs + 5;
  r.project_id = "p";
  r.model_id = "m";
  r.token_id = "t";
  r.type = "messages";
  r.latency_ms = 120;
  r.cost = 0.5;
  RollupDelta delta;
  add_to_delta(delta, r);
  add_to_delta(delta, r);
  ASSERT_EQ(delta.size(), 3u);
  for (const auto& [key, sums] : delta) {
    EXPECT_EQ(sums.calls, 2);
    EXPECT_DOUBLE_EQ(sums.cost, 1.0);
    EXPECT_EQ(sums.latency.total(), 2);
    const bool full = grain_is_full(static_cast<Grain>(key.grain));
    EXPECT_EQ(key.token_id, full ? "t" : "");
    EXPECT_EQ(key.type, full ? "messages" : "");
    EXPECT_EQ(key.bucket_ms, grain_ms(static_cast<Grain>(key.grain)) == kHourMs ? kJan1 + kDayMs + 3 * kHourMs
                                                                                : kJan1 + kDayMs);
  }
}

}  // namespace
