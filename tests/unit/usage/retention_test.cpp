// usage::Retention over the real SQLite store: the setting decides the cut-off.
#include "usage/retention.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "support/temp_dir.hpp"

namespace {

using namespace routerly;
using namespace std::chrono_literals;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kNow = 1'767'225'600'000 + 100 * kDay;

store::UsageRow at(std::string id, int64_t ts) {
  store::UsageRow r;
  r.id = std::move(id);
  r.timestamp_ms = ts;
  r.project_id = "p";
  r.model_id = "m";
  return r;
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite(dir_.path() / "routerly.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->insert_usage({at("d40", kNow - 40 * kDay), at("d31", kNow - 31 * kDay - 1),
                                      at("d29", kNow - 29 * kDay), at("d0", kNow)}));
  }
  int64_t remaining() {
    store::UsageQuery q;
    q.limit = 0;
    q.with_aggregates = false;
    return store_->query_usage(q)->total_rows;
  }
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(RetentionTest, OffKeepsEverything) {
  usage::Retention retention(
      *store_, [] { return std::nullopt; }, 0ms, [] { return kNow; });
  EXPECT_EQ(retention.run_once().value_or(-1), 0);
  EXPECT_EQ(remaining(), 4);
}

TEST_F(RetentionTest, DeletesRowsOlderThanTheSettingAndFollowsChanges) {
  std::optional<int64_t> days = 30;
  usage::Retention retention(
      *store_, [&] { return days; }, 0ms, [] { return kNow; });
  EXPECT_EQ(retention.run_once().value_or(-1), 2);
  EXPECT_EQ(remaining(), 2);
  EXPECT_TRUE(store_->get_usage("d29")->has_value());
  EXPECT_FALSE(store_->get_usage("d31")->has_value());
  days = 1;
  EXPECT_EQ(retention.run_once().value_or(-1), 1);
  EXPECT_TRUE(store_->get_usage("d0")->has_value());
}

TEST_F(RetentionTest, ThreadPurgesAtStart) {
  std::atomic<int> reads = 0;
  {
    usage::Retention retention(
        *store_,
        [&]() -> std::optional<int64_t> {
          ++reads;
          return 30;
        },
        1h, [] { return kNow; });
    for (int i = 0; i < 200 && remaining() != 2; ++i) std::this_thread::sleep_for(10ms);
  }  // the destructor stops the thread without waiting an hour
  EXPECT_EQ(remaining(), 2);
  EXPECT_EQ(reads.load(), 1);
}

}  // namespace
