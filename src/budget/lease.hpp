#pragma once
// Leases: budget capacity is charged to the durable counters in blocks before any of it is
// admitted, so that a crash can leave part of a block unused but never let it be spent twice,
// and a busy limit does not wait on the store for every call. Pure sizing rules.
#include <cstdint>
#include <vector>

#include "budget/counters.hpp"
#include "budget/resolve.hpp"

namespace routerly::budget {

// A lease never covers more than this many calls' worth of their estimate.
constexpr int64_t kLeaseMaxUnits = 64;
// A lease never takes more than 1/kLeaseShare of what a limit has left, so it shrinks to
// single calls as a limit nears its end.
constexpr int64_t kLeaseShare = 8;
// How long a lease's unused part may be held before it is given back.
constexpr int64_t kLeaseEpochMs = 10 * kSecondMs;

// One limit on the leased scope with its current use (used + in flight).
struct Headroom {
  const EffectiveLimit* limit = nullptr;
  double current = 0;
};

// How many times `need` one grant takes: at most kLeaseMaxUnits, at most a 1/kLeaseShare share
// of every limit's remainder measured in `need`, and at least one.
int64_t lease_units(const std::vector<Headroom>& limits, const Totals& need);

// When a lease opened at now_ms for these limits ends: kLeaseEpochMs on, cut to the end of the
// UTC hour (a lease's charge must fall in the calendar periods it is spent in, and they all
// start on hours) and to a tenth of every rolling window (at least a second). Its charges are booked at end − 1 ms,
// never before the calls they admit, so a rolling window never lets them go early.
int64_t lease_end(const std::vector<Headroom>& limits, int64_t now_ms);

// True when `free` holds `need` in every metric one of the limits counts.
bool lease_covers(const Totals& free, const Totals& need, const std::vector<Headroom>& limits);

// What a grant must add beyond whole units to bring each negative part of `free` (use beyond
// the estimates, already spent) back to zero.
Totals lease_deficit(const Totals& free);

}  // namespace routerly::budget
