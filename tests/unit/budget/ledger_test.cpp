#include "budget/ledger.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "budget/resolve.hpp"
#include "budget/window.hpp"
#include "helpers.hpp"

namespace routerly::budget {
namespace {

using test::obj;
using test::project_budget;
using test::row;
using test::utc;
using test::World;

const int64_t kNow = utc(2026, 11, 24, 10, 30);

TEST(Ledger, EachMetricCountsSuccessRows) {
  struct Case {
    const char* metric;
    double expected;
  };
  for (Case c : {Case{"cost", 0.03}, Case{"calls", 3}, Case{"input_tokens", 300}, Case{"output_tokens", 150},
                 Case{"total_tokens", 450}}) {
    World w = project_budget(std::string(R"({"metric":")") + c.metric +
                             R"(","windowType":"period","period":"daily","value":1000})");
    Ledger ledger;
    for (int i = 0; i < 3; ++i) ledger.record(row(kNow - 1000));
    auto failed = row(kNow - 1000);
    failed.outcome = "error";
    ledger.record(failed);
    auto blocked = row(kNow - 1000);
    blocked.outcome = "budget_exceeded";
    ledger.record(blocked);
    auto states = ledger.limits(*w.snap(), "m1", "p1", "t1", kNow);
    ASSERT_EQ(states.size(), 1u) << c.metric;
    EXPECT_DOUBLE_EQ(states[0].current, c.expected) << c.metric;
    EXPECT_DOUBLE_EQ(states[0].remaining, 1000 - c.expected) << c.metric;
  }
}

TEST(Ledger, ViolatedWhenCurrentReachesLimitWithMessage) {
  World w = project_budget(R"({"metric":"cost","windowType":"period","period":"monthly","value":5})");
  Ledger ledger;
  ledger.record(row(kNow - kDayMs, "m1", 4.99));
  EXPECT_TRUE(ledger.check(*w.snap(), "m1", "p1", "t1", kNow).allowed);
  ledger.record(row(kNow - kDayMs, "m2", 0.03));  // another model of the same project
  Verdict v = ledger.check(*w.snap(), "m1", "p1", "t1", kNow);
  ASSERT_FALSE(v.allowed);
  ASSERT_EQ(v.violated.size(), 1u);
  EXPECT_EQ(v.message(),
            "budget exceeded: project 'my-app' cost limit 5 USD per monthly window (current 5.02)");
  // value 0 always blocks.
  World zero = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":0})");
  EXPECT_FALSE(Ledger().check(*zero.snap(), "m1", "p1", "t1", kNow).allowed);
}

TEST(Ledger, ScopesCountTheRightRows) {
  World w;
  w.settings["budgets"] =
      boost::json::array{obj(R"({"metric":"calls","windowType":"period","period":"daily","value":100})")};
  w.project["budgets"] =
      boost::json::array{obj(R"({"metric":"calls","windowType":"period","period":"daily","value":100})")};
  w.token["limits"] =
      boost::json::array{obj(R"({"metric":"calls","windowType":"period","period":"daily","value":100})")};
  w.model1["limits"] =
      boost::json::array{obj(R"({"metric":"calls","windowType":"period","period":"daily","value":100})")};
  Ledger ledger;
  ledger.record(row(kNow, "m1"));                          // counts everywhere
  ledger.record(row(kNow, "m2"));                          // not in the model level
  ledger.record(row(kNow, "m1", 0.01, 1, 1, "t2"));        // another token of p1: not in the token level
  ledger.record(row(kNow, "m1", 0.01, 1, 1, "t9", "p2"));  // another project: global only
  auto states = ledger.limits(*w.snap(), "m1", "p1", "t1", kNow);
  ASSERT_EQ(states.size(), 4u);
  EXPECT_EQ(states[0].level, "global");
  EXPECT_DOUBLE_EQ(states[0].current, 4);
  EXPECT_EQ(states[1].level, "project");
  EXPECT_DOUBLE_EQ(states[1].current, 3);
  EXPECT_EQ(states[2].level, "token");
  EXPECT_DOUBLE_EQ(states[2].current, 2);
  EXPECT_EQ(states[3].level, "model");
  EXPECT_DOUBLE_EQ(states[3].current, 2);  // (project, model) across the project's tokens
}

TEST(Ledger, CalendarWindowsRollOver) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":2})");
  Ledger ledger;
  ledger.record(row(utc(2026, 11, 24, 23, 0)));
  ledger.record(row(utc(2026, 11, 24, 23, 59, 59, 999)));
  EXPECT_FALSE(ledger.check(*w.snap(), "m1", "p1", "t1", utc(2026, 11, 24, 23, 59, 59, 999)).allowed);
  EXPECT_TRUE(ledger.check(*w.snap(), "m1", "p1", "t1", utc(2026, 11, 25)).allowed);
  World monthly = project_budget(R"({"metric":"calls","windowType":"period","period":"monthly","value":2})");
  EXPECT_FALSE(ledger.check(*monthly.snap(), "m1", "p1", "t1", utc(2026, 11, 30, 12)).allowed);
  EXPECT_TRUE(ledger.check(*monthly.snap(), "m1", "p1", "t1", utc(2026, 12, 1)).allowed);
}

TEST(Ledger, RollingWindowsExpire) {
  World w = project_budget(
      R"({"metric":"calls","windowType":"rolling","rollingAmount":10,"rollingUnit":"second","value":1})");
  Ledger ledger;
  ledger.record(row(kNow));
  EXPECT_FALSE(ledger.check(*w.snap(), "m1", "p1", "t1", kNow + 9'000).allowed);
  EXPECT_TRUE(ledger.check(*w.snap(), "m1", "p1", "t1", kNow + 11'000).allowed);
  // A long rolling window: expires after its length (hour resolution, never early).
  World day = project_budget(
      R"({"metric":"calls","windowType":"rolling","rollingAmount":3,"rollingUnit":"day","value":1})");
  EXPECT_FALSE(ledger.check(*day.snap(), "m1", "p1", "t1", kNow + 3 * kDayMs - kMinuteMs).allowed);
  EXPECT_TRUE(ledger.check(*day.snap(), "m1", "p1", "t1", kNow + 3 * kDayMs + kHourMs).allowed);
  World hours = project_budget(
      R"({"metric":"calls","windowType":"rolling","rollingAmount":5,"rollingUnit":"hour","value":1})");
  EXPECT_FALSE(ledger.check(*hours.snap(), "m1", "p1", "t1", kNow + 5 * kHourMs - kSecondMs).allowed);
  EXPECT_TRUE(ledger.check(*hours.snap(), "m1", "p1", "t1", kNow + 5 * kHourMs + kMinuteMs).allowed);
}

TEST(Ledger, ReservationHoldsCapacityUntilReleased) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":2})");
  Ledger ledger;
  auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0.001}, kNow);
  auto b = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0.001}, kNow);
  ASSERT_TRUE(a.verdict.allowed);
  ASSERT_TRUE(b.verdict.allowed);
  EXPECT_TRUE(a.reservation.held());
  auto c = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0.001}, kNow);
  EXPECT_FALSE(c.verdict.allowed);
  EXPECT_FALSE(c.reservation.held());
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 2);
  a.reservation.release();  // a failed attempt uses nothing
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 1);
  { auto dropped = std::move(b.reservation); }  // destructor releases too
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 0);
}

TEST(Ledger, SettleReplacesTheEstimateAndRecordDoesNotDoubleCount) {
  World w;
  w.project["budgets"] = boost::json::array{
      obj(R"({"metric":"cost","windowType":"period","period":"daily","value":10})"),
      obj(R"({"metric":"input_tokens","windowType":"period","period":"daily","value":10000})")};
  Ledger ledger;
  auto attempt = ledger.reserve(*w.snap(), "m1", "my-app", "t1", {.input_tokens = 500, .cost = 0.5}, kNow);  // slug accepted
  ASSERT_TRUE(attempt.verdict.allowed);
  auto during = ledger.limits(*w.snap(), "m1", "p1", "t1", kNow);
  EXPECT_DOUBLE_EQ(during[0].current, 0.5);
  EXPECT_DOUBLE_EQ(during[1].current, 500);
  auto actual = row(kNow, "m1", 0.2, 120, 30);
  attempt.reservation.settle(actual);
  EXPECT_FALSE(attempt.reservation.held());
  ledger.record(actual);  // the usage writer's copy of the same row
  auto after = ledger.limits(*w.snap(), "m1", "p1", "t1", kNow);
  EXPECT_DOUBLE_EQ(after[0].current, 0.2);
  EXPECT_DOUBLE_EQ(after[1].current, 120);
  ledger.record(row(kNow, "m1", 0.1, 10, 0));  // an unrelated row still counts
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 0.3);
}

TEST(Ledger, RecordOfTheRowWithTheSettleKeySettles) {
  World w =
      project_budget(R"({"metric":"total_tokens","windowType":"period","period":"daily","value":1000})");
  Ledger ledger;
  auto attempt = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 400, .cost = 0}, kNow, "trace-1");
  ASSERT_TRUE(attempt.verdict.allowed);
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 400);
  auto other = row(kNow, "m1", 0, 10, 10);
  other.trace_id = "trace-2";
  ledger.record(other);  // another call's row: counted, the reservation stays
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 420);
  auto mine = row(kNow, "m1", 0, 100, 50);
  mine.trace_id = "trace-1";
  ledger.record(mine);  // estimate 400 replaced by 150
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 170);
  attempt.reservation.settle(mine);  // already settled: nothing changes
  { auto gone = std::move(attempt.reservation); }
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 170);
  // A released reservation does not swallow a later row with its key.
  auto dropped = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 400, .cost = 0}, kNow, "trace-3");
  dropped.reservation.release();
  auto late = row(kNow, "m1", 0, 30, 0);
  late.trace_id = "trace-3";
  ledger.record(late);
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 200);
}

TEST(Ledger, SettleWithAFailedRowOnlyReleases) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":5})");
  Ledger ledger;
  auto attempt = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0}, kNow);
  auto failed = row(kNow);
  failed.outcome = "error";
  attempt.reservation.settle(failed);
  ledger.record(failed);
  EXPECT_DOUBLE_EQ(ledger.limits(*w.snap(), "m1", "p1", "t1", kNow)[0].current, 0);
}

TEST(Ledger, SixtyFourConcurrentReservationsAgainstCallsLimit) {
  for (int limit : {1, 7, 20}) {
    World w = project_budget(
        R"({"metric":"calls","windowType":"rolling","rollingAmount":1,"rollingUnit":"hour","value":)" +
        std::to_string(limit) + "}");
    auto snap = w.snap();
    Ledger ledger;
    std::atomic<int> granted{0};
    std::atomic<bool> go{false};
    std::mutex held_mutex;
    std::vector<Reservation> held;
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i) {
      threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        auto attempt = ledger.reserve(*snap, "m1", "p1", "t1", {.input_tokens = 100, .cost = 0.01}, kNow);
        if (!attempt.verdict.allowed) return;
        ++granted;
        std::lock_guard lock(held_mutex);
        held.push_back(std::move(attempt.reservation));  // still in flight
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(granted.load(), limit);
    // Settling them as successes keeps the limit exhausted.
    for (auto& r : held) r.settle(row(kNow));
    EXPECT_FALSE(ledger.check(*snap, "m1", "p1", "t1", kNow + 1000).allowed);
    EXPECT_DOUBLE_EQ(ledger.limits(*snap, "m1", "p1", "t1", kNow + 1000)[0].current, limit);
  }
}

// A request's capped output is held while it runs: cost and token limits admit while
// used + in flight < limit, so with max_tokens 7 an output_tokens limit of 20 admits three
// (0, 7, 14 < 20) and then nothing until they end.
TEST(Ledger, ReservedOutputCountsForOutputTotalAndCostLimits) {
  struct Case {
    const char* metric;
    double limit;
    int admitted;
  };
  const Ledger::Estimate each{.input_tokens = 3, .output_tokens = 7, .cost = 0.25};
  for (Case c : {Case{"output_tokens", 20, 3}, Case{"total_tokens", 20, 2}, Case{"cost", 1, 4},
                 Case{"input_tokens", 20, 7}}) {
    World w = project_budget(std::string(R"({"metric":")") + c.metric +
                             R"(","windowType":"period","period":"daily","value":)" + std::to_string(c.limit) + "}");
    auto snap = w.snap();
    Ledger ledger;
    std::vector<Reservation> held;
    for (int i = 0; i < 64; ++i) {
      auto attempt = ledger.reserve(*snap, "m1", "p1", "t1", each, kNow);
      if (attempt.verdict.allowed) held.push_back(std::move(attempt.reservation));
    }
    EXPECT_EQ(static_cast<int>(held.size()), c.admitted) << c.metric;
    held.clear();  // released: the capacity comes back
    EXPECT_TRUE(ledger.check(*snap, "m1", "p1", "t1", kNow).allowed) << c.metric;
  }
}

TEST(Ledger, BlockedVerdictSaysWhenACalendarWindowReopens) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":1})");
  Ledger ledger;
  ledger.record(row(kNow - kHourMs));
  Verdict v = ledger.check(*w.snap(), "m1", "p1", "t1", kNow);
  ASSERT_FALSE(v.allowed);
  EXPECT_EQ(v.reopens_at_ms, utc(2026, 11, 25));
  // Two blocking limits: open again only when both are.
  w.project["budgets"].as_array().push_back(
      obj(R"({"metric":"calls","windowType":"period","period":"monthly","value":1})"));
  v = ledger.check(*w.snap(), "m1", "p1", "t1", kNow);
  ASSERT_EQ(v.violated.size(), 2u);
  EXPECT_EQ(v.reopens_at_ms, utc(2026, 12, 1));
}

TEST(Ledger, BlockedVerdictSaysWhenTheOldestUseLeavesARollingWindow) {
  World w = project_budget(
      R"({"metric":"calls","windowType":"rolling","rollingAmount":10,"rollingUnit":"minute","value":2})");
  Ledger ledger;
  ledger.record(row(kNow - 4 * kMinuteMs + 200));
  ledger.record(row(kNow - kMinuteMs));
  Verdict v = ledger.check(*w.snap(), "m1", "p1", "t1", kNow);
  ASSERT_FALSE(v.allowed);
  // The 1-second bucket of the oldest call leaves the 10-minute window 6 minutes from now.
  EXPECT_EQ(v.reopens_at_ms, kNow + 6 * kMinuteMs + kSecondMs);
  EXPECT_TRUE(ledger.check(*w.snap(), "m1", "p1", "t1", v.reopens_at_ms).allowed);
  EXPECT_FALSE(ledger.check(*w.snap(), "m1", "p1", "t1", v.reopens_at_ms - kSecondMs).allowed);
}

TEST(Ledger, BlockedOnlyByCallsInFlightHasNoReopeningTime) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":1})");
  Ledger ledger;
  auto first = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow);
  ASSERT_TRUE(first.verdict.allowed);
  Verdict v = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow).verdict;
  ASSERT_FALSE(v.allowed);
  EXPECT_EQ(v.reopens_at_ms, 0);
}

TEST(Ledger, LoadAddsStoredCountersToTheirWindows) {
  World w;
  w.project["budgets"] =
      boost::json::array{obj(R"({"metric":"cost","windowType":"period","period":"monthly","value":10})"),
                         obj(R"({"metric":"calls","windowType":"period","period":"yearly","value":100})")};
  const std::string project = project_scope("p1");
  Ledger ledger;
  ledger.load({{project, utc(2026, 11, 2), 1, 10, 5, 1.5},
               {project, utc(2026, 10, 31), 1, 10, 5, 2},
               {project, utc(2026, 11, 20), 1, 10, 5, 0.5},
               {project_scope("p2"), utc(2026, 11, 21), 1, 10, 5, 9}});
  auto states = ledger.limits(*w.snap(), "m1", "p1", "t1", kNow);
  EXPECT_DOUBLE_EQ(states[0].current, 2.0);  // November only
  EXPECT_DOUBLE_EQ(states[1].current, 3);    // the year's
  EXPECT_GE(Ledger::history_ms(), 366 * kDayMs);
}

TEST(Ledger, AlertsForExhaustionAndThreshold) {
  World w = project_budget(R"({"metric":"cost","windowType":"period","period":"monthly","value":10})");
  w.settings["budgetAlertThreshold"] = 50;
  Ledger ledger;
  std::vector<Alert> alerts;
  ledger.set_alert_sink([&](const Alert& a) { alerts.push_back(a); });
  auto first = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0}, kNow);
  first.reservation.settle(row(kNow, "m1", 4));
  EXPECT_TRUE(alerts.empty());
  auto second = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0}, kNow);
  second.reservation.settle(row(kNow, "m1", 2));  // 4 → 6 crosses 50 %
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].event, "budget.threshold");
  EXPECT_EQ(alerts[0].limit.level, "project");
  EXPECT_DOUBLE_EQ(alerts[0].limit.current, 6);
  auto third = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0}, kNow);
  third.reservation.settle(row(kNow, "m1", 5));  // over the limit: no second threshold alert
  ASSERT_EQ(alerts.size(), 1u);
  auto blocked = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0}, kNow);
  EXPECT_FALSE(blocked.verdict.allowed);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1].event, "budget.exhausted");
  EXPECT_EQ(alerts[1].limit.window, "monthly");
  EXPECT_NE(alerts[1].window_key.find("monthly@2026-11-01"), std::string::npos);
}

}  // namespace
}  // namespace routerly::budget
