#include "usage/writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/temp_dir.hpp"

namespace {

using namespace routerly;

store::UsageRow row(const std::string& id) {
  store::UsageRow r;
  r.id = id;
  r.timestamp_ms = 1'767'225'600'000;
  r.project_id = "p";
  r.model_id = "m";
  return r;
}

int64_t count_rows(store::Store& s) {
  store::UsageQuery q;
  q.limit = 0;
  q.with_aggregates = false;
  auto r = s.query_usage(q);
  EXPECT_TRUE(r);
  return r ? r->total_rows : -1;
}

// Delegates to a real store; insert_usage fails the first `failures` times and counts batches.
class FlakyStore : public store::Store {
 public:
  explicit FlakyStore(store::Store& inner) : inner_(inner) {}
  std::atomic<int> failures{0};
  std::atomic<int> inserts{0};
  std::atomic<std::size_t> largest_batch{0};

  Result<void> insert_usage(const std::vector<store::UsageRow>& rows) override {
    ++inserts;
    if (rows.size() > largest_batch) largest_batch = rows.size();
    if (failures > 0) {
      --failures;
      return fail(ErrorCode::internal_error, "disk full");
    }
    return inner_.insert_usage(rows);
  }
  Result<store::ConfigDocuments> load_config() override { return inner_.load_config(); }
  Result<void> save_config(const store::ConfigChanges& c) override { return inner_.save_config(c); }
  Result<void> create_session(const store::Session& s, std::string_view h) override {
    return inner_.create_session(s, h);
  }
  Result<std::optional<store::Session>> get_session(std::string_view id) override {
    return inner_.get_session(id);
  }
  Result<std::optional<store::RefreshLookup>> find_refresh(std::string_view h) override {
    return inner_.find_refresh(h);
  }
  Result<bool> rotate_refresh(std::string_view s, std::string_view o, std::string_view n,
                              int64_t t) override {
    return inner_.rotate_refresh(s, o, n, t);
  }
  Result<void> revoke_session(std::string_view id) override { return inner_.revoke_session(id); }
  Result<void> revoke_user_sessions(std::string_view u, std::string_view k) override {
    return inner_.revoke_user_sessions(u, k);
  }
  Result<store::UsageQueryResult> query_usage(const store::UsageQuery& q) override {
    return inner_.query_usage(q);
  }
  Result<std::optional<store::UsageRow>> get_usage(std::string_view id) override {
    return inner_.get_usage(id);
  }
  Result<std::vector<store::UsageRow>> usage_by_trace(std::string_view t) override {
    return inner_.usage_by_trace(t);
  }
  Result<std::vector<store::UsageRow>> usage_since(int64_t s) override { return inner_.usage_since(s); }
  Result<void> put_response(std::string_view id, std::string_view p, const boost::json::object& d,
                            int64_t e) override {
    return inner_.put_response(id, p, d, e);
  }
  Result<std::optional<boost::json::object>> get_response(std::string_view id, std::string_view p,
                                                          int64_t n) override {
    return inner_.get_response(id, p, n);
  }
  Result<void> check_writable() override { return inner_.check_writable(); }

 private:
  store::Store& inner_;
};

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite(dir_.path() / "routerly.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(WriterTest, TenThousandRowsFromFourThreadsAllLandInBatches) {
  FlakyStore counting(*store_);
  std::atomic<int> seen{0};
  {
    usage::Writer writer(counting, 256);
    writer.subscribe([&](const store::UsageRow&) { ++seen; });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 2500; ++i) writer.submit(row(std::to_string(t) + "-" + std::to_string(i)));
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(seen.load(), 10000);  // listeners run inside submit()
    writer.flush();
    EXPECT_EQ(writer.written(), 10000u);
    EXPECT_EQ(writer.failed(), 0u);
  }
  EXPECT_EQ(count_rows(*store_), 10000);
  EXPECT_LE(counting.largest_batch.load(), 256u);
  EXPECT_LT(counting.inserts.load(), 10000);  // batched, not one transaction per row
}

TEST_F(WriterTest, FlushMakesSubmittedRowsReadable) {
  usage::Writer writer(*store_);
  for (int round = 0; round < 3; ++round) {
    writer.submit(row("r" + std::to_string(round)));
    writer.flush();
    auto got = store_->get_usage("r" + std::to_string(round));
    ASSERT_TRUE(got);
    EXPECT_TRUE(got->has_value()) << round;
  }
  writer.flush();  // nothing pending: returns at once
  EXPECT_EQ(writer.written(), 3u);
}

TEST_F(WriterTest, DestructorWritesEverythingQueued) {
  {
    usage::Writer writer(*store_, 7);
    for (int i = 0; i < 1000; ++i) writer.submit(row("d" + std::to_string(i)));
  }
  EXPECT_EQ(count_rows(*store_), 1000);
}

TEST_F(WriterTest, FailedBatchIsRetriedOnce) {
  FlakyStore flaky(*store_);
  flaky.failures = 1;
  usage::Writer writer(flaky);
  writer.submit(row("retry-me"));
  writer.flush();
  EXPECT_EQ(writer.written(), 1u);
  EXPECT_EQ(writer.failed(), 0u);
  EXPECT_TRUE(store_->get_usage("retry-me")->has_value());
}

TEST_F(WriterTest, BatchFailingTwiceIsCountedAndDropped) {
  FlakyStore flaky(*store_);
  flaky.failures = 2;
  usage::Writer writer(flaky);
  writer.submit(row("lost"));
  writer.flush();  // returns: failed rows count as done
  EXPECT_EQ(writer.failed(), 1u);
  EXPECT_EQ(writer.written(), 0u);
  EXPECT_FALSE(store_->get_usage("lost")->has_value());
  writer.submit(row("next"));  // the writer keeps working afterwards
  writer.flush();
  EXPECT_EQ(writer.written(), 1u);
}

}  // namespace
