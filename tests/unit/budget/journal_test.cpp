// The counter journal against a real SQLite store: lease writes become durable before their
// callers go ahead, a restart loads what was charged, shutdown gives unused leases back, and an
// older installation's history is counted into the counters in the background.
#include "budget/journal.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <thread>

#include "budget/lease.hpp"
#include "budget/resolve.hpp"
#include "common/clock.hpp"
#include "helpers.hpp"
#include "support/temp_dir.hpp"

namespace routerly::budget {
namespace {

using test::obj;
using test::row;
using test::World;

World daily_calls(int limit) {
  return test::project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":)" +
                              std::to_string(limit) + "}");
}

int64_t stored_calls(store::Store& store, const std::string& scope) {
  auto rows = store.load_budget_counters(clock::now_ms() - Ledger::history_ms());
  EXPECT_TRUE(rows);
  int64_t n = 0;
  for (const auto& r : *rows)
    if (r.scope == scope) n += r.calls;
  return n;
}

TEST(CounterJournal, LeasesAreDurableBeforeTheirCallsGoAhead) {
  ::TempDir dir;
  auto store = store::open_sqlite(dir.path() / "routerly.db");
  ASSERT_TRUE(store);
  World w = daily_calls(10);
  Ledger ledger;
  auto journal = CounterJournal::open(**store, ledger);
  ASSERT_TRUE(journal) << journal.error().message;
  for (int i = 0; i < 3; ++i) {
    const int64_t now = clock::now_ms();
    auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, now, "trace-" + std::to_string(i));
    ASSERT_TRUE(a.verdict.allowed);
    ASSERT_EQ(a.pending_writes.size(), 1u);
    std::promise<bool> settled;
    a.pending_writes[0]->on_settled([&](bool ok) { settled.set_value(ok); });
    ASSERT_TRUE(settled.get_future().get());
    // Once the write is settled the charge is in the store (what a kill -9 would leave).
    EXPECT_GE(stored_calls(**store, project_scope("p1")), i + 1);
    a.reservation.settle(row(now));
  }
}

TEST(CounterJournal, ARestartLoadsTheChargesAndShutdownGivesBackWhatWasNotUsed) {
  ::TempDir dir;
  auto store = store::open_sqlite(dir.path() / "routerly.db");
  ASSERT_TRUE(store);
  World w = daily_calls(100000);
  {
    Ledger ledger;
    auto journal = CounterJournal::open(**store, ledger);
    ASSERT_TRUE(journal);
    for (int i = 0; i < 5; ++i) {
      const int64_t now = clock::now_ms();
      auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, now);
      ASSERT_TRUE(a.verdict.allowed);
      a.reservation.settle(row(now));
    }
    (*journal)->flush();
    EXPECT_EQ(stored_calls(**store, project_scope("p1")), kLeaseMaxUnits);  // one lease, not given back yet
  }  // shutdown
  EXPECT_EQ(stored_calls(**store, project_scope("p1")), 5);
  EXPECT_EQ(stored_calls(**store, global_scope()), 5);
  Ledger restarted;
  auto journal = CounterJournal::open(**store, restarted);
  ASSERT_TRUE(journal);
  auto states = restarted.limits(*w.snap(), "m1", "p1", "t1", clock::now_ms());
  ASSERT_EQ(states.size(), 1u);
  EXPECT_DOUBLE_EQ(states[0].current, 5);
}

TEST(CounterJournal, AnOlderHistoryIsCountedInTheBackground) {
  ::TempDir dir;
  const auto path = dir.path() / "routerly.db";
  const int64_t now = clock::now_ms();
  {
    auto store = store::open_sqlite(path);
    ASSERT_TRUE(store);
    std::vector<store::UsageRow> rows;
    for (int i = 0; i < 30; ++i) rows.push_back(row(now - 1000 - i * 60'000));          // the last half hour
    for (int i = 0; i < 20; ++i) rows.push_back(row(now - 10 * kDayMs - i * kHourMs));  // ten days ago
    ASSERT_TRUE((*store)->insert_usage(rows));
  }
  {  // as if the rows were written before the counters existed
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE budget_counters; DROP TABLE budget_backfill;"
                               " DELETE FROM schema_migrations WHERE version = 3", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = store::open_sqlite(path);
  ASSERT_TRUE(store);
  World w = daily_calls(1000);
  w.project["budgets"].as_array().push_back(
      obj(R"({"metric":"calls","windowType":"period","period":"monthly","value":1000})"));
  Ledger ledger;
  auto journal = CounterJournal::open(**store, ledger);
  ASSERT_TRUE(journal);
  for (int i = 0; i < 200 && !(*journal)->backfilled(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE((*journal)->backfilled());
  auto states = ledger.limits(*w.snap(), "m1", "p1", "t1", clock::now_ms());
  ASSERT_EQ(states.size(), 2u);
  // Today's share of the last half hour (the test may run just after midnight UTC).
  const int64_t today = period_start("daily", clock::now_ms());
  int expected_today = 0;
  for (int i = 0; i < 30; ++i) expected_today += now - 1000 - i * 60'000 >= today ? 1 : 0;
  EXPECT_DOUBLE_EQ(states[0].current, expected_today);
  const int64_t month = period_start("monthly", clock::now_ms());
  int expected_month = 0;
  for (int i = 0; i < 30; ++i) expected_month += now - 1000 - i * 60'000 >= month ? 1 : 0;
  for (int i = 0; i < 20; ++i) expected_month += now - 10 * kDayMs - i * kHourMs >= month ? 1 : 0;
  EXPECT_DOUBLE_EQ(states[1].current, expected_month);
  // The counters are in the store too: a restart needs no second backfill.
  EXPECT_FALSE((*store)->budget_backfill()->has_value());
  EXPECT_EQ(stored_calls(**store, project_scope("p1")), 50);
}

}  // namespace
}  // namespace routerly::budget
