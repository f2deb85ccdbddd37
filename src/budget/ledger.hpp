#pragma once
// Budgets and limits (SPEC §6 + §00 P10): every level — global budgets (settings.budgets),
// project budgets (project.budgets), token budgets (token.limits + limitsMode), and the
// per-model limits at model, project-model and token-model level (replace/extend/disable).
// Windows are UTC calendar periods or rolling windows. Enforcement is atomic: capacity is
// reserved before the provider call and settled after, so concurrent requests never pass a
// `calls` limit; cost/token limits overshoot by at most what the in-flight requests add.
//
// Counters are what has been charged to the durable counters (loaded at start, never rebuilt
// from usage rows). A call that a limit applies to is admitted from a lease: a block of
// capacity charged durably before any of it is used (lease.hpp), so that a crash can leave
// part of a block unused but never spend it twice. Leases are written by the charge sink (the
// counter journal); a reservation whose lease write is still pending lists it in
// Attempt::pending_writes, and the caller must wait for it before calling the provider.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "budget/durability.hpp"
#include "config/snapshot.hpp"
#include "store/budget_rows.hpp"
#include "store/usage_rows.hpp"

namespace routerly::budget {

// One effective limit with its current use (SPEC §6.5 snapshot).
struct LimitState {
  std::string level;   // "global" | "project" | "token" | "model" | "project-model" | "token-model"
  std::string name;    // what it belongs to (project slug, token id, model id, "global")
  std::string metric;  // cost | calls | input_tokens | output_tokens | total_tokens
  std::string window;  // "daily", "monthly", "rolling 1 hour", …
  double limit = 0;
  double current = 0;    // used + reserved
  double remaining = 0;  // limit − current
};

struct Verdict {
  bool allowed = true;
  std::vector<LimitState> violated;  // the limits that block
  // Blocked: when every blocking limit may admit again, assuming no new use — a calendar
  // window's end, or when a rolling window's oldest counted use leaves it (ms since epoch).
  // 0 when not known: a limit held only by calls in flight frees up when they end.
  int64_t reopens_at_ms = 0;
  // Set when capacity could not be recorded (the store refused a lease): not a limit.
  std::string failure;
  // "budget_exceeded" message naming level, metric, window and limit (SPEC §00 P2).
  std::string message() const;
};

// A budget notification the ledger asks for (sent once per (limit, window_key) by the notifier).
struct Alert {
  std::string event;  // "budget.threshold" | "budget.exhausted"
  LimitState limit;
  std::string window_key;  // the limit and its window instance
};

// A held reservation; settle() or the destructor (= cancelled, nothing used) releases it.
class Reservation {
 public:
  Reservation() = default;
  Reservation(Reservation&&) noexcept;
  Reservation& operator=(Reservation&&) noexcept;
  ~Reservation();
  // Replaces the reservation by what the call actually used (from its usage row; only a
  // "success" row counts). Call it BEFORE the row reaches Ledger::record (usage::Writer::submit):
  // record() then skips the row by its id. A failed attempt: drop the reservation (release()).
  // No-op when record() already settled it by its settle key.
  void settle(const store::UsageRow& actual);
  void release();
  bool held() const { return state_ != nullptr; }

 private:
  friend class Ledger;
  struct State;
  std::shared_ptr<State> state_;
};

// Thread-safe. Copies share the same counters (a copy can be handed to a listener that may
// outlive the owner).
class Ledger {
 public:
  Ledger();
  ~Ledger();
  Ledger(const Ledger&) = default;
  Ledger& operator=(const Ledger&) = default;

  // Receives threshold / exhaustion alerts (outside the ledger's lock). Set once, before use.
  void set_alert_sink(std::function<void(const Alert&)> sink);

  // Where charges go to be made durable: every charge in order of occurrence, and when `urgent`
  // is set, a lease write that callers wait for (settle it once those charges are durable).
  // Called outside the ledger's lock. Without a sink the ledger keeps its counters in memory
  // only and lease writes count as done at once. Set before use; reset (empty) to detach.
  using ChargeSink =
      std::function<void(std::vector<store::CounterDelta> charges, std::shared_ptr<Durability> urgent)>;
  void set_charge_sink(ChargeSink sink);

  // Adds stored counters (start-up, and the backfill of an older history) without charging.
  void load(const std::vector<store::CounterDelta>& counters);
  // Every finished call (the usage writer's listener). Settled reservations are not double counted.
  void record(const store::UsageRow& row);
  // Gives back the unused part of every lease (shutdown): charged to the sink.
  void close_leases();

  // How far back load() needs counters.
  static int64_t history_ms();

  // Pure check without reserving (routing pre-filter, budget-remaining policy).
  Verdict check(const config::Snapshot& snap, std::string_view model_id, std::string_view project_id,
                std::string_view token_id, int64_t now_ms) const;
  // Effective limits with their use, for traces, the llm prompt and budget-remaining.
  std::vector<LimitState> limits(const config::Snapshot& snap, std::string_view model_id,
                                 std::string_view project_id, std::string_view token_id,
                                 int64_t now_ms) const;
  // What an attempt holds while in flight: one call plus these amounts.
  struct Estimate {
    int64_t input_tokens = 0;   // the request's estimated input
    int64_t output_tokens = 0;  // the output the request allows at most (0 when it sets no cap)
    double cost = 0;            // both at the model's prices
  };
  // Atomically checks and reserves one call plus `estimate` against every applicable limit
  // (used + in-flight ≥ limit blocks). When blocked: verdict.allowed false and
  // no reservation held. With a settle_key (the call's trace id), the first row with that
  // trace_id passed to record() settles the reservation (the gateway keeps the handle alive
  // until its usage row is submitted; dropping the handle first just releases it).
  struct Attempt {
    Verdict verdict;
    Reservation reservation;
    // Lease writes the admission depends on: wait until each is settled; a failed one means
    // the call must not go ahead (release the reservation).
    std::vector<std::shared_ptr<Durability>> pending_writes;
  };
  Attempt reserve(const config::Snapshot& snap, std::string_view model_id, std::string_view project_id,
                  std::string_view token_id, const Estimate& estimate, int64_t now_ms,
                  std::string_view settle_key = {});

 private:
  friend class Reservation;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace routerly::budget
