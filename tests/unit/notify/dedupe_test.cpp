#include "notify/dedupe.hpp"

#include <gtest/gtest.h>

#include "notify/notifier.hpp"

namespace {

using namespace routerly::notify;

TEST(Dedupe, OncePerKeyWithinTtl) {
  DedupeSet set(10, 1000);
  EXPECT_TRUE(set.first_time("a", 0));
  EXPECT_FALSE(set.first_time("a", 1));
  EXPECT_FALSE(set.first_time("a", 999));
  EXPECT_TRUE(set.first_time("b", 5));
  EXPECT_TRUE(set.first_time("a", 1000));  // expired: may be sent again
  EXPECT_FALSE(set.first_time("a", 1500));
}

TEST(Dedupe, BoundedByCapacity) {
  DedupeSet set(3, 1'000'000);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(set.first_time("k" + std::to_string(i), i));
  EXPECT_LE(set.size(), 3u);
  EXPECT_FALSE(set.first_time("k99", 200));  // the newest are kept
  EXPECT_TRUE(set.first_time("k0", 201));    // the oldest were evicted
}

TEST(Dedupe, KeyIdentifiesEventLimitAndWindow) {
  BudgetEvent e{"budget.exhausted", "project", "Alpha", "cost", "daily", 5, 5.1, "2026-01-01"};
  BudgetEvent later = e;
  later.current = 7;  // same limit and window: same key
  EXPECT_EQ(dedupe_key(e), dedupe_key(later));
  BudgetEvent next_window = e;
  next_window.window_key = "2026-01-02";
  EXPECT_NE(dedupe_key(e), dedupe_key(next_window));
  BudgetEvent threshold = e;
  threshold.event = "budget.threshold";
  EXPECT_NE(dedupe_key(e), dedupe_key(threshold));
  BudgetEvent other_limit = e;
  other_limit.limit = 6;
  EXPECT_NE(dedupe_key(e), dedupe_key(other_limit));
  BudgetEvent other_metric = e;
  other_metric.metric = "calls";
  EXPECT_NE(dedupe_key(e), dedupe_key(other_metric));
}

}  // namespace
