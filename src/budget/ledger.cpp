#include "budget/ledger.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "budget/counters.hpp"
#include "budget/lease.hpp"
#include "budget/resolve.hpp"

namespace routerly::budget {

namespace {

constexpr int64_t kSettledMemoryMs = 10 * kMinuteMs;  // settled ids wait this long for record()
constexpr int64_t kPruneEveryMs = kMinuteMs;
constexpr double kDefaultThresholdPercent = 80;

double round6(double v) {
  return std::round(v * 1e6) / 1e6;
}

Totals of_row(const store::UsageRow& row) {
  return Totals{row.cost, 1, row.input_tokens, row.output_tokens};
}

Totals difference(const Totals& a, const Totals& b) {
  Totals d = a;
  d.add(b, -1);
  return d;
}

Totals negated(const Totals& t) {
  return difference(Totals{}, t);
}

bool is_zero(const Totals& t) {
  return t.cost == 0 && t.calls == 0 && t.input_tokens == 0 && t.output_tokens == 0;
}

double threshold_percent(const config::Snapshot& snap) {
  const boost::json::value* v = snap.settings.if_contains("budgetAlertThreshold");
  if (v == nullptr || !v->is_number()) return kDefaultThresholdPercent;
  return v->to_number<double>();
}

// What a reservation holds in one scope: from the scope's lease (epoch, and the instant its
// charges are booked at) when a limit applies there, else as a plain in-flight amount.
struct Hold {
  std::string scope;
  bool leased = false;
  uint64_t epoch = 0;
  int64_t charge_ms = 0;
};

// The open lease of a scope. Its grants were charged at end_ms − 1; `free` is what of them no
// call holds or has used (negative where calls used more than their estimate).
struct Lease {
  Totals free;
  Totals held;  // what calls in flight hold of it
  int64_t end_ms = 0;  // 0: no open lease
  uint64_t epoch = 0;  // unique per opened lease (0 while none is open)
  std::shared_ptr<Durability> written;  // the newest grant's write
};

// Alerts and charges gathered under the lock, delivered after it.
struct Outbox {
  std::vector<Alert> alerts;
  std::vector<store::CounterDelta> charges;
  std::shared_ptr<Durability> urgent;  // the lease write of this batch, if any
};

}  // namespace

struct Reservation::State {
  std::shared_ptr<Ledger::Impl> ledger;
  std::string key;  // settle key (trace id); empty = settled only through settle()
  std::vector<Hold> holds;
  Totals amount;
  std::vector<EffectiveLimit> limits;  // for the threshold alert at settle time
  double threshold_percent = kDefaultThresholdPercent;
  bool done = false;  // released or settled (under the ledger's lock)
};

struct Ledger::Impl {
  mutable std::mutex mutex;
  Counters counters;
  std::unordered_map<std::string, Lease> leases;
  std::unordered_map<std::string, int64_t> settled;  // row id → when settled
  // Open reservations by settle key: record() of a row with that trace id settles them.
  std::unordered_map<std::string, std::weak_ptr<Reservation::State>> open;
  int64_t last_prune_ms = 0;
  uint64_t last_epoch = 0;
  std::function<void(const Alert&)> alert_sink;
  ChargeSink charge_sink;

  void charge(std::string_view scope, int64_t at_ms, const Totals& amount, Outbox& out) {
    if (is_zero(amount)) return;
    counters.add(scope, at_ms, amount);
    out.charges.push_back(store::CounterDelta{std::string(scope), at_ms, amount.calls, amount.input_tokens,
                                              amount.output_tokens, amount.cost});
  }

  // The open lease of `scope` when its charges count in a window starting at start_ms.
  const Lease* lease_in(std::string_view scope, int64_t start_ms) const {
    auto it = leases.find(std::string(scope));
    if (it == leases.end() || it->second.end_ms == 0 || it->second.end_ms - 1 < start_ms) return nullptr;
    return &it->second;
  }

  // Gives the lease's unused part back (lock held). A lease whose last write failed was never
  // wholly durable: its unused part leaves memory only, so the store may keep counting it.
  void close(const std::string& scope, Lease& lease, Outbox& out) {
    if (lease.end_ms == 0) return;
    const Totals back = negated(lease.free);
    if (lease.written && lease.written->result() == std::optional(false)) {
      counters.add(scope, lease.end_ms - 1, back);
    } else {
      charge(scope, lease.end_ms - 1, back, out);
    }
    lease = Lease{};
  }

  // Ends the hold of a reservation that used `used` (zero: cancelled), booking use outside its
  // lease at at_ms (lock held). False when it was already done.
  bool finish(Reservation::State& state, const Totals& used, int64_t at_ms, Outbox& out) {
    if (state.done) return false;
    state.done = true;
    const Totals beyond = difference(used, state.amount);
    for (const Hold& h : state.holds) {
      if (!h.leased) {
        counters.reserved(h.scope).add(state.amount, -1);
        charge(h.scope, at_ms, used, out);
        continue;
      }
      auto lease = leases.find(h.scope);
      if (lease != leases.end() && lease->second.epoch == h.epoch) {
        lease->second.free.add(beyond, -1);
        lease->second.held.add(state.amount, -1);
      } else {
        charge(h.scope, h.charge_ms, beyond, out);  // its lease is closed: correct its booking
      }
    }
    if (!state.key.empty()) open.erase(state.key);
    return true;
  }

  // Replaces the reservation by the row it produced (lock held); threshold alerts go to `out`.
  void settle(Reservation::State& state, const store::UsageRow& row, Outbox& out) {
    const bool success = row.outcome == "success";
    if (!finish(state, success ? of_row(row) : Totals{}, row.timestamp_ms, out) || !success) return;
    const Totals added = of_row(row);
    for (const auto& l : state.limits) {
      const bool counted = std::any_of(state.holds.begin(), state.holds.end(),
                                       [&](const Hold& h) { return h.scope == l.scope; });
      if (!counted) continue;
      LimitState after = state_of(l, row.timestamp_ms);
      const double before = after.current - added.metric(l.spec.metric);
      const double mark = l.spec.value * state.threshold_percent / 100.0;
      if (l.spec.value > 0 && before < mark && after.current >= mark)
        out.alerts.push_back(Alert{after.current >= after.limit ? "budget.exhausted" : "budget.threshold", after,
                                   key_of(l, row.timestamp_ms)});
    }
  }

  // Use of the limit's scope in its window at now_ms: charged, less unused leases, plus in flight.
  double current_of(const EffectiveLimit& l, int64_t now_ms) const {
    const int64_t start = l.spec.window.start(now_ms);
    Totals t = counters.used(l.scope, start, now_ms);
    if (const Lease* lease = lease_in(l.scope, start)) t.add(lease->free, -1);
    t.add(counters.reserved_of(l.scope));
    return t.metric(l.spec.metric);
  }

  LimitState state_of(const EffectiveLimit& l, int64_t now_ms) const { return state_with(l, current_of(l, now_ms)); }

  LimitState state_with(const EffectiveLimit& l, double current) const {
    LimitState s;
    s.level = l.level;
    s.name = l.name;
    s.metric = l.spec.metric;
    s.window = l.spec.window.label();
    s.limit = l.spec.value;
    s.current = round6(current);
    s.remaining = round6(s.limit - s.current);
    return s;
  }

  // When a blocking limit may admit again without new use (lock held); 0 when its own window's
  // use is under the limit (calls in flight hold it) or nothing counted can leave the window.
  int64_t reopens_at(const EffectiveLimit& l, int64_t now_ms) const {
    const int64_t start = l.spec.window.start(now_ms);
    Totals used = counters.used(l.scope, start, now_ms);
    if (const Lease* lease = lease_in(l.scope, start)) {
      used.add(lease->free, -1);
      used.add(lease->held, -1);  // in flight: frees up when the calls end
    }
    if (used.metric(l.spec.metric) < l.spec.value) return 0;
    if (!l.spec.window.rolling) return period_end(l.spec.window.period, now_ms);
    return counters.oldest_leaves(l.scope, start, now_ms, l.spec.window.rolling_length_ms()).value_or(0);
  }

  // Evaluates every limit (lock held); fills the exhaustion alerts of the violated ones. With
  // `currents`, also leaves there each limit's current use, in the order of `limits`.
  Verdict evaluate(const std::vector<EffectiveLimit>& limits, int64_t now_ms, Outbox& out,
                   std::vector<double>* currents = nullptr) const {
    Verdict verdict;
    bool reopen_known = true;
    for (const auto& l : limits) {
      const double current = current_of(l, now_ms);
      if (currents != nullptr) currents->push_back(current);
      LimitState s = state_with(l, current);
      if (s.current < s.limit) continue;
      verdict.allowed = false;
      const int64_t reopens = reopens_at(l, now_ms);
      reopen_known = reopen_known && reopens > 0;
      verdict.reopens_at_ms = std::max(verdict.reopens_at_ms, reopens);
      out.alerts.push_back(Alert{"budget.exhausted", s, key_of(l, now_ms)});
      verdict.violated.push_back(std::move(s));
    }
    if (!reopen_known) verdict.reopens_at_ms = 0;
    return verdict;
  }

  // Holds `need` in `scope` from its lease, granting (charging) a new block first when the
  // lease cannot cover it (lock held). Returns the hold; a pending write it depends on goes to
  // `waits`.
  Hold take_from_lease(const std::string& scope, const std::vector<Headroom>& limits, const Totals& need,
                       int64_t now_ms, Outbox& out, std::vector<std::shared_ptr<Durability>>& waits) {
    Lease& lease = leases[scope];
    const int64_t end = lease_end(limits, now_ms);
    const bool failed = lease.written && lease.written->result() == std::optional(false);
    if (lease.end_ms != 0 && (now_ms >= lease.end_ms || lease.end_ms > end || failed)) close(scope, lease, out);
    if (lease.end_ms == 0) {
      lease.end_ms = end;
      lease.epoch = ++last_epoch;
    }
    if (!lease_covers(lease.free, need, limits)) {
      Totals grant = lease_deficit(lease.free);
      const int64_t units = lease_units(limits, need);
      for (int64_t i = 0; i < units; ++i) grant.add(need);
      charge(scope, lease.end_ms - 1, grant, out);
      lease.free.add(grant);
      if (!out.urgent) out.urgent = std::make_shared<Durability>();
      lease.written = out.urgent;
    }
    lease.free.add(need, -1);
    lease.held.add(need);
    if (lease.written && !lease.written->result() &&
        std::find(waits.begin(), waits.end(), lease.written) == waits.end())
      waits.push_back(lease.written);
    return Hold{scope, true, lease.epoch, lease.end_ms - 1};
  }

  static std::string key_of(const EffectiveLimit& l, int64_t now_ms) {
    return l.level + ":" + l.name + ":" + l.spec.metric + ":" + std::to_string(l.spec.value) + ":" +
           l.spec.window.instance_key(now_ms);
  }

  void maybe_prune(int64_t now_ms, Outbox& out) {
    if (now_ms - last_prune_ms < kPruneEveryMs) return;
    last_prune_ms = now_ms;
    for (auto it = leases.begin(); it != leases.end();) {
      if (it->second.end_ms != 0 && now_ms >= it->second.end_ms) close(it->first, it->second, out);
      // Holds name their lease's epoch, which is never reused: a closed lease can go.
      it = it->second.end_ms == 0 ? leases.erase(it) : std::next(it);
    }
    counters.prune(now_ms);
    for (auto it = settled.begin(); it != settled.end();)
      it = now_ms - it->second > kSettledMemoryMs ? settled.erase(it) : std::next(it);
  }

  void deliver(Outbox& out) const {
    if (alert_sink)
      for (const auto& a : out.alerts) alert_sink(a);
    if (out.charges.empty() && !out.urgent) return;
    if (charge_sink) {
      charge_sink(std::move(out.charges), out.urgent);
    } else if (out.urgent) {
      out.urgent->settle(true);  // memory only: nothing to wait for
    }
  }
};

// --- Reservation ---

Reservation::Reservation(Reservation&&) noexcept = default;
Reservation& Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
  }
  return *this;
}
Reservation::~Reservation() {
  release();
}

void Reservation::release() {
  if (!state_) return;
  auto state = std::move(state_);
  Outbox out;
  {
    std::lock_guard lock(state->ledger->mutex);
    state->ledger->finish(*state, Totals{}, 0, out);
  }
  state->ledger->deliver(out);
}

void Reservation::settle(const store::UsageRow& actual) {
  if (!state_) return;
  auto state = std::move(state_);
  Ledger::Impl& ledger = *state->ledger;
  Outbox out;
  {
    std::lock_guard lock(ledger.mutex);
    if (state->done) return;  // already settled by record() of its row
    ledger.settle(*state, actual, out);
    if (actual.outcome == "success" && !actual.id.empty()) ledger.settled[actual.id] = actual.timestamp_ms;
  }
  ledger.deliver(out);
}

// --- Ledger ---

Ledger::Ledger() : impl_(std::make_shared<Impl>()) {}
Ledger::~Ledger() = default;

int64_t Ledger::history_ms() {
  return kRetentionMs;
}

void Ledger::set_alert_sink(std::function<void(const Alert&)> sink) {
  std::lock_guard lock(impl_->mutex);
  impl_->alert_sink = std::move(sink);
}

void Ledger::set_charge_sink(ChargeSink sink) {
  std::lock_guard lock(impl_->mutex);
  impl_->charge_sink = std::move(sink);
}

void Ledger::load(const std::vector<store::CounterDelta>& counters) {
  std::lock_guard lock(impl_->mutex);
  for (const auto& c : counters)
    impl_->counters.add(c.scope, c.at_ms, Totals{c.cost, c.calls, c.input_tokens, c.output_tokens});
}

void Ledger::record(const store::UsageRow& row) {
  Outbox out;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->maybe_prune(row.timestamp_ms, out);
    if (!row.id.empty() && impl_->settled.erase(row.id) > 0) return;  // counted by Reservation::settle
    bool settled = false;
    // Only a success row settles: a failed attempt's row (SPEC §9.1) arrives asynchronously and
    // must not release the reservation of the next attempt of the same call (same trace id);
    // a failed attempt's own reservation is released by its handle.
    if (!row.trace_id.empty() && row.outcome == "success") {
      if (auto it = impl_->open.find(row.trace_id); it != impl_->open.end()) {
        if (auto state = it->second.lock()) {
          impl_->settle(*state, row, out);
          settled = true;
        } else {
          impl_->open.erase(it);
        }
      }
    }
    if (!settled && row.outcome == "success")
      for (const auto& scope : scopes_of(row)) impl_->charge(scope, row.timestamp_ms, of_row(row), out);
  }
  impl_->deliver(out);
}

void Ledger::close_leases() {
  Outbox out;
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& [scope, lease] : impl_->leases) impl_->close(scope, lease, out);
  }
  impl_->deliver(out);
}

Verdict Ledger::check(const config::Snapshot& snap, std::string_view model_id, std::string_view project_id,
                      std::string_view token_id, int64_t now_ms) const {
  const auto limits = effective_limits(snap, model_id, project_id, token_id);
  Outbox out;
  Verdict verdict;
  {
    std::lock_guard lock(impl_->mutex);
    verdict = impl_->evaluate(limits, now_ms, out);
  }
  impl_->deliver(out);
  return verdict;
}

std::vector<LimitState> Ledger::limits(const config::Snapshot& snap, std::string_view model_id,
                                       std::string_view project_id, std::string_view token_id,
                                       int64_t now_ms) const {
  const auto limits = effective_limits(snap, model_id, project_id, token_id);
  std::vector<LimitState> out;
  std::lock_guard lock(impl_->mutex);
  for (const auto& l : limits) out.push_back(impl_->state_of(l, now_ms));
  return out;
}

Ledger::Attempt Ledger::reserve(const config::Snapshot& snap, std::string_view model_id,
                                std::string_view project_id, std::string_view token_id,
                                const Estimate& estimate, int64_t now_ms, std::string_view settle_key) {
  auto limits = effective_limits(snap, model_id, project_id, token_id);
  Attempt attempt;
  Outbox out;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->maybe_prune(now_ms, out);
    std::vector<double> currents;
    attempt.verdict = impl_->evaluate(limits, now_ms, out, &currents);
    if (attempt.verdict.allowed) {
      auto state = std::make_shared<Reservation::State>();
      state->ledger = impl_;
      state->amount = Totals{estimate.cost, 1, estimate.input_tokens, estimate.output_tokens};
      // Held in the scopes of the row the call will produce.
      store::UsageRow shape;
      shape.project_id = std::string(project_id);  // rows carry the id; callers may pass the slug
      if (const auto* project = project_id.empty() ? nullptr : snap.project(project_id))
        if (const auto* id = project->if_contains("id"); id != nullptr && id->is_string())
          shape.project_id = std::string(id->as_string());
      shape.model_id = std::string(model_id);
      shape.token_id = std::string(token_id);
      for (const auto& scope : scopes_of(shape)) {
        std::vector<Headroom> scope_limits;
        // Each scope's lease changes only that scope's use: the evaluated figures still hold.
        for (std::size_t i = 0; i < limits.size(); ++i)
          if (limits[i].scope == scope) scope_limits.push_back(Headroom{&limits[i], currents[i]});
        if (scope_limits.empty()) {
          impl_->counters.reserved(scope).add(state->amount);
          state->holds.push_back(Hold{scope});
        } else {
          state->holds.push_back(
              impl_->take_from_lease(scope, scope_limits, state->amount, now_ms, out, attempt.pending_writes));
        }
      }
      state->limits = std::move(limits);
      state->threshold_percent = threshold_percent(snap);
      state->key = std::string(settle_key);
      if (!state->key.empty()) impl_->open[state->key] = state;
      attempt.reservation.state_ = std::move(state);
    }
  }
  impl_->deliver(out);
  return attempt;
}

}  // namespace routerly::budget
