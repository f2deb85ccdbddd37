// Leases: capacity is charged to the durable counters before it is admitted, in blocks that
// shrink to single calls near a limit's end, and what a lease did not use goes back.
#include "budget/lease.hpp"

#include <gtest/gtest.h>

#include <map>

#include "budget/ledger.hpp"
#include "budget/resolve.hpp"
#include "helpers.hpp"

namespace routerly::budget {
namespace {

using test::project_budget;
using test::row;
using test::utc;
using test::World;

const int64_t kNow = utc(2026, 11, 24, 10, 30);

// A charge sink standing in for the journal: keeps the charges per scope, settles lease writes
// when told to (or at once).
struct Sink {
  std::vector<store::CounterDelta> charges;
  std::vector<std::shared_ptr<Durability>> pending;
  bool settle_at_once = true;
  bool ok = true;

  Ledger::ChargeSink handler() {
    return [this](std::vector<store::CounterDelta> c, std::shared_ptr<Durability> urgent) {
      charges.insert(charges.end(), c.begin(), c.end());
      if (!urgent) return;
      if (settle_at_once) {
        urgent->settle(ok);
      } else {
        pending.push_back(urgent);
      }
    };
  }
  // Durable calls charged to a scope (what a restart would load).
  int64_t calls(const std::string& scope) const {
    int64_t n = 0;
    for (const auto& c : charges)
      if (c.scope == scope) n += c.calls;
    return n;
  }
  double cost(const std::string& scope) const {
    double n = 0;
    for (const auto& c : charges)
      if (c.scope == scope) n += c.cost;
    return n;
  }
};

EffectiveLimit limit_of(std::string metric, double value, std::string period = "daily") {
  EffectiveLimit l;
  l.level = "project";
  l.scope = "p";
  l.spec.metric = std::move(metric);
  l.spec.value = value;
  l.spec.window.period = std::move(period);
  return l;
}

TEST(Lease, UnitsShrinkToSingleCallsNearTheEnd) {
  const EffectiveLimit calls = limit_of("calls", 1000);
  const Totals one{0, 1, 0, 0};
  EXPECT_EQ(lease_units({{&calls, 0}}, one), kLeaseMaxUnits);
  EXPECT_EQ(lease_units({{&calls, 900}}, one), 12);  // 100 left → an eighth
  EXPECT_EQ(lease_units({{&calls, 995}}, one), 1);
  EXPECT_EQ(lease_units({{&calls, 999}}, one), 1);
  const EffectiveLimit cost = limit_of("cost", 10);
  EXPECT_EQ(lease_units({{&calls, 0}, {&cost, 9}}, Totals{0.01, 1, 0, 0}), 12);  // 1 USD / 0.01 / 8
  EXPECT_EQ(lease_units({{&cost, 0}}, Totals{0, 1, 0, 0}), kLeaseMaxUnits);     // no cost estimate
}

TEST(Lease, EndsWithinTheCalendarPeriodAndATenthOfARollingWindow) {
  const EffectiveLimit daily = limit_of("calls", 10);
  EXPECT_EQ(lease_end({{&daily, 0}}, kNow), kNow + kLeaseEpochMs);
  const int64_t late = utc(2026, 11, 24, 23, 59, 55);
  EXPECT_EQ(lease_end({{&daily, 0}}, late), utc(2026, 11, 25));
  EXPECT_EQ(lease_end({}, utc(2026, 11, 24, 13, 59, 58)), utc(2026, 11, 24, 14));  // any limit's hour
  EffectiveLimit rolling = limit_of("calls", 10);
  rolling.spec.window.rolling = true;
  rolling.spec.window.amount = 30;
  rolling.spec.window.unit = "second";
  EXPECT_EQ(lease_end({{&daily, 0}, {&rolling, 0}}, kNow), kNow + 3 * kSecondMs);
  rolling.spec.window.amount = 5;
  EXPECT_EQ(lease_end({{&rolling, 0}}, kNow), kNow + kSecondMs);
}

TEST(Lease, CoversOnlyWhatTheLimitsCount) {
  const EffectiveLimit calls = limit_of("calls", 10);
  const EffectiveLimit total = limit_of("total_tokens", 1000);
  const Totals need{5, 1, 100, 100};
  EXPECT_TRUE(lease_covers(Totals{0, 1, 0, 0}, need, {{&calls, 0}}));  // cost is not limited
  EXPECT_FALSE(lease_covers(Totals{0, 0, 500, 500}, need, {{&calls, 0}}));
  EXPECT_TRUE(lease_covers(Totals{0, 0, 200, 0}, need, {{&total, 0}}));
  EXPECT_FALSE(lease_covers(Totals{0, 5, 150, 0}, need, {{&calls, 0}, {&total, 0}}));
  const Totals deficit = lease_deficit(Totals{-0.5, 2, -10, 3});
  EXPECT_DOUBLE_EQ(deficit.cost, 0.5);
  EXPECT_EQ(deficit.calls, 0);
  EXPECT_EQ(deficit.input_tokens, 10);
  EXPECT_EQ(deficit.output_tokens, 0);
}

TEST(LedgerLeases, EveryAdmittedCallIsChargedDurablyBeforeItIsAdmitted) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":10})");
  Sink sink;
  sink.settle_at_once = false;
  Ledger ledger;
  ledger.set_charge_sink(sink.handler());
  std::vector<Ledger::Attempt> held;
  for (int i = 0; i < 10; ++i) {
    auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + i);
    ASSERT_TRUE(a.verdict.allowed) << i;
    // Near the end every call is its own lease: none is admitted before its write.
    ASSERT_EQ(a.pending_writes.size(), 1u) << i;
    EXPECT_GE(sink.calls(project_scope("p1")), i + 1) << i;
    held.push_back(std::move(a));
  }
  EXPECT_FALSE(ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + 20).verdict.allowed);
  EXPECT_EQ(sink.calls(project_scope("p1")), 10);
}

TEST(LedgerLeases, ABusyLimitTakesBlocksAndCallsWaitOnlyForTheirOwnBlock) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":100000})");
  Sink sink;
  sink.settle_at_once = false;
  Ledger ledger;
  ledger.set_charge_sink(sink.handler());
  auto first = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow);
  ASSERT_EQ(first.pending_writes.size(), 1u);
  auto second = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + 1);
  ASSERT_EQ(second.pending_writes.size(), 1u);  // its block is the same, still being written
  EXPECT_EQ(second.pending_writes[0], first.pending_writes[0]);
  EXPECT_EQ(sink.calls(project_scope("p1")), kLeaseMaxUnits);
  for (auto& p : sink.pending) p->settle(true);
  for (int i = 2; i < kLeaseMaxUnits; ++i) {
    auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + i);
    EXPECT_TRUE(a.pending_writes.empty()) << i;  // admitted from the written block
    a.reservation.settle(row(kNow + i));
  }
  EXPECT_EQ(sink.calls(project_scope("p1")), kLeaseMaxUnits);
  auto next = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + 100);
  EXPECT_EQ(next.pending_writes.size(), 1u);
  EXPECT_EQ(sink.calls(project_scope("p1")), 2 * kLeaseMaxUnits);
}

TEST(LedgerLeases, UnusedCapacityGoesBackAndTheCountersEndExact) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":100000})");
  Sink sink;
  Ledger ledger;
  ledger.set_charge_sink(sink.handler());
  for (int i = 0; i < 5; ++i) {
    auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + i, "trace-" + std::to_string(i));
    ASSERT_TRUE(a.verdict.allowed);
    if (i == 3) continue;  // a failed attempt: released, nothing used
    a.reservation.settle(row(kNow + i));
  }
  EXPECT_EQ(sink.calls(project_scope("p1")), kLeaseMaxUnits);
  ledger.close_leases();
  EXPECT_EQ(sink.calls(project_scope("p1")), 4);
  EXPECT_EQ(sink.calls(global_scope()), 4);  // no limit there: charged as used
  auto states = ledger.limits(*w.snap(), "m1", "p1", "t1", kNow + 10);
  EXPECT_DOUBLE_EQ(states[0].current, 4);
}

TEST(LedgerLeases, ALeaseEndsAndGivesBackWhenItsEpochIsOver) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":100000})");
  Sink sink;
  Ledger ledger;
  ledger.set_charge_sink(sink.handler());
  ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow).reservation.settle(row(kNow));
  EXPECT_EQ(sink.calls(project_scope("p1")), kLeaseMaxUnits);
  // The next call after the epoch opens a new lease; the old one's unused part is given back.
  ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + kLeaseEpochMs).reservation.settle(row(kNow + kLeaseEpochMs));
  EXPECT_EQ(sink.calls(project_scope("p1")), 1 + kLeaseMaxUnits);
}

TEST(LedgerLeases, ARestartFromTheDurableChargesNeverAdmitsMoreThanTheLimit) {
  // A crash: leases charged, calls admitted, nothing given back. The next process loads the
  // durable charges only.
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":10})");
  Sink sink;
  int admitted = 0;
  {
    Ledger ledger;
    ledger.set_charge_sink(sink.handler());
    for (int i = 0; i < 7; ++i) {
      auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + i);
      admitted += a.verdict.allowed ? 1 : 0;
      a.reservation.settle(row(kNow + i));
    }
  }
  Ledger restarted;
  restarted.load(sink.charges);
  restarted.set_charge_sink(sink.handler());
  for (int i = 0; i < 40; ++i) {
    auto a = restarted.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + 100 + i);
    if (!a.verdict.allowed) continue;
    ++admitted;
    a.reservation.settle(row(kNow + 100 + i));
  }
  EXPECT_LE(admitted, 10);
  EXPECT_GE(admitted, 7);
}

TEST(LedgerLeases, AFailedLeaseWriteAdmitsNothingFromIt) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":100})");
  Sink sink;
  sink.settle_at_once = false;
  Ledger ledger;
  ledger.set_charge_sink(sink.handler());
  auto first = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow);
  ASSERT_EQ(first.pending_writes.size(), 1u);
  sink.pending.back()->settle(false);
  EXPECT_EQ(first.pending_writes[0]->result(), std::optional(false));
  first.reservation.release();
  // The next call does not spend the failed block: it asks for a new write.
  auto second = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow + 1);
  ASSERT_TRUE(second.verdict.allowed);
  ASSERT_EQ(second.pending_writes.size(), 1u);
  EXPECT_NE(second.pending_writes[0], first.pending_writes[0]);
}

TEST(LedgerLeases, UseBeyondTheEstimateIsChargedAndBlocksTheNextCall) {
  World w = project_budget(R"({"metric":"cost","windowType":"period","period":"daily","value":1})");
  Sink sink;
  Ledger ledger;
  ledger.set_charge_sink(sink.handler());
  auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {.input_tokens = 10, .cost = 0.001}, kNow);
  ASSERT_TRUE(a.verdict.allowed);
  a.reservation.settle(row(kNow, "m1", 1.5));  // far more than estimated
  EXPECT_FALSE(ledger.reserve(*w.snap(), "m1", "p1", "t1", {.cost = 0.001}, kNow + 1).verdict.allowed);
  ledger.close_leases();
  EXPECT_NEAR(sink.cost(project_scope("p1")), 1.5, 1e-9);
}

TEST(LedgerLeases, AReleaseAfterItsLeaseClosedCorrectsTheOldBooking) {
  World w = project_budget(R"({"metric":"calls","windowType":"period","period":"daily","value":100000})");
  Sink sink;
  Ledger ledger;
  ledger.set_charge_sink(sink.handler());
  auto a = ledger.reserve(*w.snap(), "m1", "p1", "t1", {}, kNow);
  ledger.close_leases();  // the call is still in flight: its hold stays charged
  EXPECT_EQ(sink.calls(project_scope("p1")), 1);
  a.reservation.release();
  EXPECT_EQ(sink.calls(project_scope("p1")), 0);
  auto states = ledger.limits(*w.snap(), "m1", "p1", "t1", kNow + 1);
  EXPECT_DOUBLE_EQ(states[0].current, 0);
}

}  // namespace
}  // namespace routerly::budget
