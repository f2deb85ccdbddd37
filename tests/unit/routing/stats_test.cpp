#include "routing/stats.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace routerly::routing {
namespace {

store::UsageRow row(std::string model, int64_t ts, std::string outcome = "success",
                    std::string project = "p") {
  store::UsageRow r;
  r.model_id = std::move(model);
  r.timestamp_ms = ts;
  r.outcome = std::move(outcome);
  r.project_id = std::move(project);
  r.latency_ms = 42;
  return r;
}

TEST(Stats, SamplesSinceAreOrderedAndClassified) {
  Stats stats;
  stats.record(row("m", 3000, "error"));
  stats.record(row("m", 1000));
  stats.record(row("m", 2000, "budget_exceeded"));
  stats.record(row("other", 2500));
  auto s = stats.samples("m", 1500);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].timestamp_ms, 2000);
  EXPECT_TRUE(s[0].failed);
  EXPECT_FALSE(s[0].timeout_or_error);
  EXPECT_TRUE(s[1].timeout_or_error);
  EXPECT_EQ(s[1].latency_ms, 42);
  EXPECT_EQ(stats.samples("m", 0).size(), 3u);
  EXPECT_TRUE(stats.samples("unknown", 0).empty());
}

TEST(Stats, RetentionAndCapBoundEachModel) {
  Stats stats(10'000, 3);
  stats.record(row("m", 1000));
  stats.record(row("m", 20'000));  // drops the 1000 row (older than 10 s before newest)
  EXPECT_EQ(stats.size("m"), 1u);
  for (int i = 1; i <= 5; ++i) stats.record(row("m", 20'000 + i));
  EXPECT_EQ(stats.size("m"), 3u);
  EXPECT_EQ(stats.samples("m", 0).front().timestamp_ms, 20'003);
}

TEST(Stats, LoadKeepsOnlyTheRetainedWindow) {
  Stats stats(60'000);
  std::vector<store::UsageRow> rows{row("m", 100'000), row("m", 10'000), row("m", 90'000), row("", 95'000)};
  stats.load(rows, 120'000);
  auto s = stats.samples("m", 0);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].timestamp_ms, 90'000);
  EXPECT_EQ(s[1].timestamp_ms, 100'000);
}

TEST(Stats, ConcurrentWritersAndReaders) {
  Stats stats;
  std::thread writer([&] {
    for (int i = 0; i < 2000; ++i) stats.record(row(i % 2 ? "a" : "b", i));
  });
  std::size_t seen = 0;
  for (int i = 0; i < 200; ++i) seen = std::max(seen, stats.samples("a", 0).size());
  writer.join();
  EXPECT_EQ(stats.size("a"), 1000u);
  EXPECT_EQ(stats.size("b"), 1000u);
  EXPECT_LE(seen, 1000u);
}

}  // namespace
}  // namespace routerly::routing

#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace routerly::routing {
namespace {

TEST(Stats, LoadFromTheStoreReadsOnlyTheWindow) {
  TempDir dir;
  auto opened = store::open_sqlite(dir.path() / "routerly.db");
  ASSERT_TRUE(opened) << opened.error().message;
  const int64_t now = 10 * Stats::kDefaultRetentionMs;
  std::vector<store::UsageRow> rows;
  for (int i = 0; i < 50; ++i) {  // far outside the window
    auto r = row("m", now - 2 * Stats::kDefaultRetentionMs + i);
    r.id = "old" + std::to_string(i);
    rows.push_back(r);
  }
  auto late = row("m", now - 1000, "timeout", "proj-b");
  late.id = "late";
  auto early = row("m", now - 5000, "success", "proj-a");
  early.id = "early";
  auto other = row("n", now - 3000, "budget_exceeded");
  other.id = "other";
  rows.insert(rows.end(), {late, early, other});
  ASSERT_TRUE((*opened)->insert_usage(rows));

  Stats stats;
  auto loaded = stats.load_from(**opened, now);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, 3u);
  auto s = stats.samples("m", 0);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].timestamp_ms, now - 5000);
  EXPECT_EQ(s[0].project_id, "proj-a");
  EXPECT_TRUE(s[0].success);
  EXPECT_TRUE(s[1].timeout_or_error);
  EXPECT_EQ(s[1].latency_ms, 42);
  ASSERT_EQ(stats.samples("n", 0).size(), 1u);
  EXPECT_TRUE(stats.samples("n", 0)[0].failed);
}

}  // namespace
}  // namespace routerly::routing
