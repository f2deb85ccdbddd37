// Durable budget counters, in both backends: deltas add up per (scope, second), compaction
// keeps the totals while merging old buckets, and successful usage is grouped for a backfill; a
// SQLite installation with usage from before the counters existed is marked for backfill.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <map>

#include "backends.hpp"
#include "store/store.hpp"

namespace {

using namespace routerly;
using store::CounterDelta;

constexpr int64_t kSecond = 1000;
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kNow = 1'767'225'600'000 + 10 * kHour + 1234;  // 2026-01-01T10:00:01.234Z

std::map<std::string, CounterDelta> totals(const std::vector<CounterDelta>& rows) {
  std::map<std::string, CounterDelta> out;
  for (const auto& r : rows) {
    CounterDelta& t = out[r.scope];
    t.calls += r.calls;
    t.input_tokens += r.input_tokens;
    t.output_tokens += r.output_tokens;
    t.cost += r.cost;
  }
  return out;
}

// Two hours before kNow, two rows a second, tokens t1 and t2 alternating; the last one failed.
std::vector<store::UsageRow> ten_rows() {
  std::vector<store::UsageRow> rows;
  for (int i = 0; i < 10; ++i) {
    store::UsageRow r;
    r.id = "r" + std::to_string(i);
    r.timestamp_ms = kNow - 2 * kHour + i * kSecond / 2;
    r.project_id = "p1";
    r.token_id = i % 2 == 0 ? "t1" : "t2";
    r.model_id = "m1";
    r.cost = 0.5;
    r.input_tokens = 10;
    r.output_tokens = 1;
    r.outcome = i == 9 ? "error" : "success";
    rows.push_back(r);
  }
  return rows;
}

class BudgetCounters : public StoreContract {};

TEST_P(BudgetCounters, DeltasAddUpPerScopeAndSecond) {
  ASSERT_TRUE(store_->add_budget_counters({{"p:a", kNow, 64, 0, 0, 0.5},
                                           {"p:a", kNow + 300, -60, 0, 0, -0.25},
                                           {"g", kNow + kSecond, 1, 10, 20, 0.01}}));
  auto loaded = store_->load_budget_counters(kNow - kDay);
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);  // p:a's two deltas share one second
  auto t = totals(*loaded);
  EXPECT_EQ(t["p:a"].calls, 4);
  EXPECT_DOUBLE_EQ(t["p:a"].cost, 0.25);
  EXPECT_EQ(t["g"].output_tokens, 20);
  EXPECT_TRUE(store_->load_budget_counters(kNow + kHour)->empty());
}

TEST_P(BudgetCounters, CompactionMergesOldBucketsAndKeepsTheTotals) {
  std::vector<CounterDelta> deltas;
  for (int i = 0; i < 600; ++i) deltas.push_back({"p:a", kNow - 5 * kDay + i * 7 * kSecond, 1, 1, 1, 0.001});
  for (int i = 0; i < 600; ++i) deltas.push_back({"p:a", kNow - 5 * kHour + i * 7 * kSecond, 1, 1, 1, 0.001});
  for (int i = 0; i < 60; ++i)
    deltas.push_back({"p:a", kNow - 10 * 60 * kSecond + i * kSecond, 1, 1, 1, 0.001});
  deltas.push_back({"p:a", kNow - 500 * kDay, 7, 0, 0, 0});  // past retention
  ASSERT_TRUE(store_->add_budget_counters(deltas));
  ASSERT_TRUE(store_->compact_budget_counters(kNow, kNow - 400 * kDay));
  auto loaded = store_->load_budget_counters(kNow - 450 * kDay);
  ASSERT_TRUE(loaded);
  auto t = totals(*loaded);
  EXPECT_EQ(t["p:a"].calls, 1260);
  EXPECT_NEAR(t["p:a"].cost, 1.26, 1e-9);
  // 5 days ago: hours; 5 hours ago: minutes; the last 10 minutes: seconds.
  std::size_t hours = 0, minutes = 0, seconds = 0;
  for (const auto& r : *loaded) {
    if (r.at_ms < kNow - 3 * kDay) {
      EXPECT_EQ(r.at_ms % kHour, 0) << r.at_ms;
      ++hours;
    } else if (r.at_ms < kNow - 3 * kHour) {
      EXPECT_EQ(r.at_ms % (60 * kSecond), 0) << r.at_ms;
      ++minutes;
    } else {
      ++seconds;
    }
  }
  EXPECT_LE(hours, 3u);  // 600 × 7 s = 70 minutes
  EXPECT_LE(minutes, 72u);
  EXPECT_EQ(seconds, 60u);
}

TEST(BudgetCountersSqlite, AnOlderInstallationIsMarkedForBackfillAndGroupsItsRows) {
  TempDir dir;
  const auto path = dir.path() / "routerly.db";
  {
    auto store = store::open_sqlite(path);
    ASSERT_TRUE(store);
    EXPECT_FALSE((*store)->budget_backfill()->has_value());  // nothing to count
    ASSERT_TRUE((*store)->insert_usage(ten_rows()));
  }
  // Reopen as a database from before the counters: drop them and forget the migration.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TABLE budget_counters; DROP TABLE budget_backfill;"
                           " DELETE FROM schema_migrations WHERE version = 3",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = store::open_sqlite(path);
  ASSERT_TRUE(store) << store.error().message;
  auto pending = (*store)->budget_backfill();
  ASSERT_TRUE(pending && pending->has_value());
  EXPECT_EQ((*pending)->next_ms, kNow - 2 * kHour);
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_NEAR(static_cast<double>((*pending)->until_ms), static_cast<double>(now), 60'000.0);
  auto groups = (*store)->usage_groups(kNow - kDay, kNow, kSecond);
  ASSERT_TRUE(groups);
  int64_t calls = 0;
  double cost = 0;
  for (const auto& g : *groups) {
    calls += g.calls;
    cost += g.cost;
    EXPECT_EQ(g.bucket_ms % kSecond, 0);
  }
  EXPECT_EQ(calls, 9);  // success rows only
  EXPECT_DOUBLE_EQ(cost, 4.5);
  // Recording progress and the end of the backfill happens with the counters it wrote.
  ASSERT_TRUE((*store)->add_budget_counters({{"g", kNow, 9, 0, 0, 4.5}}, (*pending)->until_ms));
  EXPECT_FALSE((*store)->budget_backfill()->has_value());
}

TEST_P(BudgetCounters, UsageGroupsSumSuccessfulRowsPerBucketAndAFreshStoreHasNothingToBackfill) {
  auto pending = store_->budget_backfill();
  ASSERT_TRUE(pending) << pending.error().message;
  EXPECT_FALSE(pending->has_value());
  ASSERT_TRUE(store_->insert_usage(ten_rows()));
  auto groups = store_->usage_groups(kNow - kDay, kNow, kSecond);
  ASSERT_TRUE(groups) << groups.error().message;
  std::map<std::string, int64_t> calls_by_token;
  for (const auto& g : *groups) {
    calls_by_token[g.token_id] += g.calls;
    EXPECT_EQ(g.bucket_ms % kSecond, 0);
    EXPECT_EQ(g.input_tokens, 10 * g.calls);
    EXPECT_DOUBLE_EQ(g.cost, 0.5 * static_cast<double>(g.calls));
  }
  EXPECT_EQ(groups->size(), 9u);  // per token and second: each second holds one row of each token
  EXPECT_EQ(calls_by_token["t1"], 5);
  EXPECT_EQ(calls_by_token["t2"], 4);  // the error row is not counted
  EXPECT_TRUE(store_->usage_groups(kNow, kNow + kDay, kSecond)->empty());
  // Recording a backfill's progress when none is pending changes nothing.
  ASSERT_TRUE(store_->add_budget_counters({{"g", kNow, 9, 0, 0, 4.5}}, kNow));
  EXPECT_FALSE(store_->budget_backfill()->has_value());
}

INSTANTIATE_FOR_EACH_BACKEND(BudgetCounters);

}  // namespace
