#include "usage/writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "flaky_store.hpp"
#include "metrics/registry.hpp"
#include "support/temp_dir.hpp"
#include "usage/settle_wait.hpp"

namespace {

using namespace routerly;
using testing_support::FlakyStore;
namespace fs = std::filesystem;

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

// Waits (bounded) for `done`; the writer's background replay has no completion to await.
template <class F>
bool eventually(F done, std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite(dir_.path() / "routerly.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  fs::path spool_dir() const { return dir_.path() / "usage-spool"; }
  std::unique_ptr<usage::Spool> spool() {
    auto opened = usage::Spool::open(spool_dir());
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }
  std::size_t spool_files() const {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(spool_dir())) n += e.path().extension() == ".spool";
    return n;
  }
  // Quick retries, so that recovery tests do not wait for the production back-off.
  static usage::WriterOptions fast(usage::WriterOptions o = {}) {
    o.retry_min = std::chrono::milliseconds(5);
    o.retry_max = std::chrono::milliseconds(20);
    return o;
  }
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(WriterTest, TenThousandRowsFromFourThreadsAllLandInBatches) {
  FlakyStore counting(*store_);
  std::atomic<int> seen{0};
  usage::WriterOptions options;
  options.max_batch = 256;
  {
    usage::Writer writer(counting, spool(), options);
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
    EXPECT_EQ(writer.written() + writer.spooled(), 10000u);
    EXPECT_EQ(writer.dropped(), 0u);
  }
  // A burst faster than the store thread overflows into the spool (the queue reached half its
  // bound), which the next start replays if this run did not.
  usage::Writer restarted(counting, spool(), options);
  EXPECT_EQ(count_rows(*store_), 10000);
  EXPECT_LE(counting.largest_batch.load(), 256u);
  EXPECT_LT(counting.inserts.load(), 10000);  // batched, not one transaction per row
}

TEST_F(WriterTest, FlushMakesSubmittedRowsReadable) {
  usage::Writer writer(*store_, spool());
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
    usage::WriterOptions options;
    options.max_batch = 7;
    usage::Writer writer(*store_, spool(), options);
    for (int i = 0; i < 1000; ++i) writer.submit(row("d" + std::to_string(i)));
  }
  EXPECT_EQ(count_rows(*store_), 1000);
}

// Before the spool, a batch that failed twice was dropped (a locked database lost rows).
TEST_F(WriterTest, ARefusedBatchGoesToTheSpoolAndIsReplayedWhenTheStoreRecovers) {
  FlakyStore flaky(*store_);
  flaky.down = true;
  usage::Writer writer(flaky, spool(), fast());
  for (int i = 0; i < 5; ++i) writer.submit(row("s" + std::to_string(i)));
  writer.flush();  // settled: on disk in the spool
  EXPECT_EQ(writer.spooled(), 5u);
  EXPECT_EQ(writer.dropped(), 0u);
  EXPECT_EQ(count_rows(*store_), 0);
  EXPECT_GE(spool_files(), 1u);

  flaky.down = false;
  ASSERT_TRUE(eventually([&] { return writer.replayed() == 5; }));
  EXPECT_EQ(count_rows(*store_), 5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(store_->get_usage("s" + std::to_string(i))->has_value()) << i;
  EXPECT_TRUE(eventually([&] { return spool_files() == 0; }));  // removed once committed

  writer.submit(row("after"));  // and the queue goes to the store again
  writer.flush();
  EXPECT_TRUE(store_->get_usage("after")->has_value());
}

TEST_F(WriterTest, NoRowIsLostThroughAnOutageUnderLoadAndTheQueueStaysBounded) {
  FlakyStore flaky(*store_);
  flaky.down = true;
  usage::WriterOptions options = fast();
  options.queue_max = [] { return std::size_t{500}; };
  usage::Writer writer(flaky, spool(), options);

  std::atomic<bool> submitting{true};
  std::atomic<std::size_t> deepest{0};
  std::thread watcher([&] {
    while (submitting) {
      deepest = std::max(deepest.load(), writer.queue_depth());
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5000; ++i) writer.submit(row("o" + std::to_string(t) + "-" + std::to_string(i)));
    });
  for (auto& th : threads) th.join();
  submitting = false;
  watcher.join();
  EXPECT_LE(deepest.load(), 500u);
  writer.flush();
  EXPECT_GT(writer.spooled(), 0u);

  flaky.down = false;
  // Counted once the store thread is back from the commit.
  ASSERT_TRUE(eventually([&] { return writer.written() + writer.replayed() >= 20000u; }))
      << writer.written() << " + " << writer.replayed();
  EXPECT_EQ(count_rows(*store_), 20000);
  EXPECT_EQ(writer.dropped(), 0u);
  EXPECT_EQ(writer.written() + writer.replayed(), 20000u);
}

TEST_F(WriterTest, ASlowStoreSendsTheQueueToTheSpoolInsteadOfHoldingIt) {
  FlakyStore flaky(*store_);
  usage::WriterOptions options = fast();
  options.slow_store = std::chrono::milliseconds(50);
  usage::Writer writer(flaky, spool(), options);
  flaky.delay_ms = 1500;
  writer.submit(row("first"));
  ASSERT_TRUE(eventually([&] { return flaky.inserts.load() >= 1; }));
  flaky.delay_ms = 0;  // only the call in flight is slow
  writer.submit(row("second"));
  writer.submit(row("third"));
  writer.flush();
  EXPECT_EQ(writer.spooled(), 2u);  // they did not wait behind the slow call
  ASSERT_TRUE(eventually([&] { return count_rows(*store_) == 3; }));
  EXPECT_EQ(writer.dropped(), 0u);
}

TEST_F(WriterTest, ReplaysWhatACrashedRunSpooledBeforeItStarts) {
  {
    auto left = spool();
    std::vector<store::UsageRow> rows;
    for (int i = 0; i < 10; ++i) rows.push_back(row("c" + std::to_string(i)));
    ASSERT_EQ(left->append(rows, true).rows, 10u);
  }
  // The crash cut the record being written.
  for (const auto& e : fs::directory_iterator(spool_dir())) {
    std::ofstream out(e.path(), std::ios::binary | std::ios::app);
    out << std::string("\xFF\xFEUR\x40\x00\x00\x00", 8) << "{\"id\":\"torn";
  }
  usage::Writer writer(*store_, spool());
  EXPECT_EQ(writer.replayed(), 10u);  // before the constructor returned
  EXPECT_EQ(count_rows(*store_), 10);
  EXPECT_FALSE(store_->get_usage("torn")->has_value());
  EXPECT_EQ(spool_files(), 0u);
}

TEST_F(WriterTest, RowsCommittedJustBeforeACrashAreNotInsertedTwice) {
  std::vector<store::UsageRow> rows;
  for (int i = 0; i < 10; ++i) rows.push_back(row("k" + std::to_string(i)));
  ASSERT_TRUE(store_->insert_usage({rows.begin(), rows.begin() + 4}));  // committed, segment not yet removed
  ASSERT_EQ(spool()->append(rows, true).rows, 10u);
  usage::Writer writer(*store_, spool());
  EXPECT_EQ(count_rows(*store_), 10);
  EXPECT_EQ(spool_files(), 0u);
}

TEST_F(WriterTest, RecordsAreDroppedOnlyWhenTheSpoolFailsToo) {
  FlakyStore flaky(*store_);
  flaky.down = true;
  metrics::Registry registry;
  usage::WriterOptions options = fast();
  options.metrics = &registry;
  usage::Writer writer(flaky, spool(), options);
  fs::remove_all(spool_dir());  // a disk that takes nothing
  for (int i = 0; i < 3; ++i) writer.submit(row("x" + std::to_string(i)));
  writer.flush();  // settles: nobody waits forever on a lost record
  EXPECT_EQ(writer.dropped(), 3u);
  EXPECT_EQ(writer.spooled(), 0u);
  EXPECT_NE(registry.render().find("routerly_usage_dropped_total 3"), std::string::npos) << registry.render();

  flaky.down = false;  // the store is back: records go there again
  fs::create_directories(spool_dir());
  writer.submit(row("back"));
  writer.flush();
  ASSERT_TRUE(eventually([&] { return store_->get_usage("back")->has_value(); }));
}

TEST_F(WriterTest, MetricsFollowTheQueueAndTheSpool) {
  FlakyStore flaky(*store_);
  flaky.down = true;
  metrics::Registry registry;
  usage::WriterOptions options = fast();
  options.metrics = &registry;
  usage::Writer writer(flaky, spool(), options);
  for (int i = 0; i < 4; ++i) writer.submit(row("m" + std::to_string(i)));
  writer.flush();
  const std::string text = registry.render();
  EXPECT_NE(text.find("routerly_usage_spooled_total 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("routerly_usage_queue_depth 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("routerly_usage_dropped_total 0\n"), std::string::npos) << text;
}

TEST_F(WriterTest, SyncModeCommitsDurablyBeforeTheRecordCountsAsSettled) {
  FlakyStore flaky(*store_);
  usage::WriterOptions options;
  options.sync = [] { return true; };
  options.linger = std::chrono::seconds(5);  // a waiter must not wait for a linger
  usage::Writer writer(flaky, spool(), options);
  const auto ticket = writer.submit(row("durable"));
  std::atomic<bool> called{false};
  std::atomic<bool> present{false};
  writer.when_settled(ticket, [&] {
    auto got = store_->get_usage("durable");
    present = got && got->has_value();
    called = true;
  });
  ASSERT_TRUE(eventually([&] { return called.load(); }, std::chrono::seconds(4)));
  EXPECT_TRUE(present.load());
  EXPECT_GE(flaky.sync_on.load(), 1);
  EXPECT_EQ(flaky.committed_unsynced.load(), 0u);
}

TEST_F(WriterTest, BatchedModeLeavesCommitsRelaxed) {
  FlakyStore flaky(*store_);
  usage::Writer writer(flaky, spool());
  for (int i = 0; i < 3; ++i) writer.submit(row("b" + std::to_string(i)));
  writer.flush();
  EXPECT_EQ(flaky.sync_on.load(), 0);
  EXPECT_EQ(flaky.committed_unsynced.load(), 3u);
}

TEST_F(WriterTest, WhenSettledRunsAtOnceForWhatIsAlreadySettled) {
  usage::Writer writer(*store_, spool());
  const auto ticket = writer.submit(row("done"));
  writer.flush();
  EXPECT_TRUE(writer.settled(ticket));
  bool called = false;
  writer.when_settled(ticket, [&] { called = true; });
  EXPECT_TRUE(called);
  EXPECT_TRUE(writer.settled(0));
  EXPECT_EQ(writer.last_ticket(), ticket);
}

TEST_F(WriterTest, DestructorSpoolsWhatAFailingStoreCannotTake) {
  FlakyStore flaky(*store_);
  flaky.down = true;
  {
    usage::Writer writer(flaky, spool(), fast());
    for (int i = 0; i < 50; ++i) writer.submit(row("z" + std::to_string(i)));
  }
  EXPECT_EQ(count_rows(*store_), 0);
  auto left = spool();
  std::size_t rows = 0;
  while (auto segment = left->take_oldest()) {
    rows += left->read(*segment)->rows.size();
    ASSERT_TRUE(left->remove(*segment));
  }
  EXPECT_EQ(rows, 50u);
}

TEST_F(WriterTest, AnAsioWaitResumesOnTheWaitingExecutorOnceTheRecordIsSettled) {
  FlakyStore flaky(*store_);
  flaky.delay_ms = 100;  // the completion comes from a writer thread
  usage::WriterOptions options;
  options.sync = [] { return true; };
  usage::Writer writer(flaky, spool(), options);
  boost::asio::io_context io;
  std::thread::id resumed_on;
  bool present = false;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        const auto ticket = writer.submit(row("awaited"));
        co_await usage::async_wait_settled(writer, ticket, boost::asio::use_awaitable);
        resumed_on = std::this_thread::get_id();
        auto got = store_->get_usage("awaited");
        present = got && got->has_value();
      },
      boost::asio::detached);
  io.run();  // returns only after the coroutine finished: the wait counted as work
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
  EXPECT_TRUE(present);
}

}  // namespace
