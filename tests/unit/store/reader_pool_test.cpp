#include "store/sqlite/reader_pool.hpp"

#include <gtest/gtest.h>

#include <future>

#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace routerly;
using namespace std::chrono_literals;

store::UsageRow row(std::string id, int64_t ts) {
  store::UsageRow r;
  r.id = std::move(id);
  r.timestamp_ms = ts;
  r.project_id = "p";
  r.model_id = "m";
  return r;
}

TEST(SqliteReaders, WritesAndOtherReadsDoNotWaitForALongRead) {
  TempDir dir;
  auto opened = store::open_sqlite(dir.path() / "routerly.db");
  ASSERT_TRUE(opened) << opened.error().message;
  store::Store& s = **opened;
  ASSERT_TRUE(s.insert_usage({row("a", 1000), row("b", 2000)}));

  // A read that holds its connection (and its snapshot) until released: a long analytics query.
  std::promise<void> inside, release;
  auto released = release.get_future().share();
  bool first = true;
  auto long_read = std::async(std::launch::async, [&] {
    return s.scan_usage_samples(0, [&](const store::UsageSample&) {
      if (!std::exchange(first, false)) return;
      inside.set_value();
      released.wait();
    });
  });
  inside.get_future().wait();

  auto others = std::async(std::launch::async, [&] {
    if (!s.check_writable()) return false;
    if (!s.insert_usage({row("c", 3000)})) return false;
    auto one = s.get_usage("c");  // another reader sees the committed insert
    if (!one || !*one) return false;
    store::UsageQuery q;
    auto listed = s.query_usage(q);
    return listed && listed->total_rows == 3;
  });
  const bool finished = others.wait_for(5s) == std::future_status::ready;
  EXPECT_TRUE(finished) << "a write or read waited for the long read";
  release.set_value();
  EXPECT_TRUE(long_read.get());
  EXPECT_TRUE(others.get());
}

TEST(ReaderPool, ReusesConnectionsAndWaitsOnlyAtTheMaximum) {
  TempDir dir;
  ASSERT_TRUE(store::open_sqlite(dir.path() / "routerly.db"));
  store::sqlite::ReaderPool pool(dir.path() / "routerly.db", 2);
  sqlite3* first = nullptr;
  {
    auto a = pool.acquire();
    ASSERT_TRUE(a) << a.error().message;
    first = a->get();
  }
  auto a = pool.acquire();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->get(), first);  // returned and reused
  auto b = pool.acquire();
  ASSERT_TRUE(b);
  EXPECT_NE(b->get(), first);
  auto third = std::async(std::launch::async, [&] { return pool.acquire().has_value(); });
  EXPECT_EQ(third.wait_for(100ms), std::future_status::timeout);  // both leased: waits
  { auto gone = std::move(*b); }
  EXPECT_EQ(third.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(third.get());
}

TEST(ReaderPool, ReadConnectionsCannotWrite) {
  TempDir dir;
  ASSERT_TRUE(store::open_sqlite(dir.path() / "routerly.db"));
  store::sqlite::ReaderPool pool(dir.path() / "routerly.db", 1);
  auto lease = pool.acquire();
  ASSERT_TRUE(lease);
  EXPECT_NE(sqlite3_exec(lease->get(), "DELETE FROM usage", nullptr, nullptr, nullptr), SQLITE_OK);
}

}  // namespace
