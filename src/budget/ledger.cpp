#include "budget/ledger.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "budget/counters.hpp"
#include "budget/resolve.hpp"

namespace routerly::budget {

namespace {

constexpr int64_t kSettledMemoryMs = 10 * kMinuteMs;  // settled ids wait this long for record()
constexpr int64_t kPruneEveryMs = kMinuteMs;
constexpr double kDefaultThresholdPercent = 80;

double round6(double v) {
  return std::round(v * 1e6) / 1e6;
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", round6(v));
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string unit_of(std::string_view metric) {
  if (metric == "cost") return "USD";
  if (metric == "calls") return "calls";
  if (metric == "input_tokens") return "input tokens";
  if (metric == "output_tokens") return "output tokens";
  return "tokens";
}

std::string subject(const LimitState& s) {
  if (s.level == "global") return "global";
  if (s.level == "project-model") {
    auto slash = s.name.find('/');
    return "project '" + s.name.substr(0, slash) + "' model '" + s.name.substr(slash + 1) + "'";
  }
  if (s.level == "token-model") {
    auto slash = s.name.find('/');
    return "token '" + s.name.substr(0, slash) + "' model '" + s.name.substr(slash + 1) + "'";
  }
  return s.level + " '" + s.name + "'";
}

Totals of_row(const store::UsageRow& row) {
  return Totals{row.cost, 1, row.input_tokens, row.output_tokens};
}

double threshold_percent(const config::Snapshot& snap) {
  const boost::json::value* v = snap.settings.if_contains("budgetAlertThreshold");
  if (v == nullptr || !v->is_number()) return kDefaultThresholdPercent;
  return v->to_number<double>();
}

}  // namespace

std::string Verdict::message() const {
  if (violated.empty()) return {};
  const LimitState& s = violated.front();
  return "budget exceeded: " + subject(s) + " " + s.metric + " limit " + format_number(s.limit) + " " +
         unit_of(s.metric) + " per " + s.window + " window (current " + format_number(s.current) + ")";
}

struct Reservation::State {
  std::shared_ptr<Ledger::Impl> ledger;
  std::string key;  // settle key (trace id); empty = settled only through settle()
  std::vector<std::string> scopes;
  Totals amount;
  std::vector<EffectiveLimit> limits;  // for the threshold alert at settle time
  double threshold_percent = kDefaultThresholdPercent;
  bool done = false;  // released or settled (under the ledger's lock)
};

struct Ledger::Impl {
  mutable std::mutex mutex;
  Counters counters;
  std::unordered_map<std::string, int64_t> settled;  // row id → when settled
  // Open reservations by settle key: record() of a row with that trace id settles them.
  std::unordered_map<std::string, std::weak_ptr<Reservation::State>> open;
  int64_t last_prune_ms = 0;
  std::function<void(const Alert&)> sink;

  // Drops the reservation's hold (lock held). False when it was already done.
  bool unhold(Reservation::State& state) {
    if (state.done) return false;
    state.done = true;
    for (const auto& scope : state.scopes) counters.reserved(scope).add(state.amount, -1);
    if (!state.key.empty()) open.erase(state.key);
    return true;
  }

  // Replaces the reservation by the row it produced (lock held); threshold alerts go to `alerts`.
  void settle(Reservation::State& state, const store::UsageRow& row, std::vector<Alert>& alerts) {
    if (!unhold(state)) return;
    if (row.outcome != "success") return;
    count(row);
    const Totals added = of_row(row);
    const auto row_scopes = scopes_of(row);
    for (const auto& l : state.limits) {
      if (std::find(row_scopes.begin(), row_scopes.end(), l.scope) == row_scopes.end()) continue;
      LimitState after = state_of(l, row.timestamp_ms);
      const double before = after.current - added.metric(l.spec.metric);
      const double mark = l.spec.value * state.threshold_percent / 100.0;
      if (l.spec.value > 0 && before < mark && after.current >= mark)
        alerts.push_back(Alert{after.current >= after.limit ? "budget.exhausted" : "budget.threshold", after,
                               key_of(l, row.timestamp_ms)});
    }
  }

  LimitState state_of(const EffectiveLimit& l, int64_t now_ms) const {
    const Totals used = counters.used(l.scope, l.spec.window.start(now_ms), now_ms);
    const Totals reserved = counters.reserved_of(l.scope);
    LimitState s;
    s.level = l.level;
    s.name = l.name;
    s.metric = l.spec.metric;
    s.window = l.spec.window.label();
    s.limit = l.spec.value;
    s.current = round6(used.metric(s.metric) + reserved.metric(s.metric));
    s.remaining = round6(s.limit - s.current);
    return s;
  }

  // When a blocking limit may admit again without new use (lock held); 0 when its own window's
  // use is under the limit (calls in flight hold it) or nothing counted can leave the window.
  int64_t reopens_at(const EffectiveLimit& l, int64_t now_ms) const {
    const int64_t start = l.spec.window.start(now_ms);
    if (counters.used(l.scope, start, now_ms).metric(l.spec.metric) < l.spec.value) return 0;
    if (!l.spec.window.rolling) return period_end(l.spec.window.period, now_ms);
    return counters.oldest_leaves(l.scope, start, now_ms, l.spec.window.rolling_length_ms()).value_or(0);
  }

  // Evaluates every limit (lock held); fills the exhaustion alerts of the violated ones.
  Verdict evaluate(const std::vector<EffectiveLimit>& limits, int64_t now_ms,
                   std::vector<Alert>& alerts) const {
    Verdict verdict;
    bool reopen_known = true;
    for (const auto& l : limits) {
      LimitState s = state_of(l, now_ms);
      if (s.current < s.limit) continue;
      verdict.allowed = false;
      const int64_t reopens = reopens_at(l, now_ms);
      reopen_known = reopen_known && reopens > 0;
      verdict.reopens_at_ms = std::max(verdict.reopens_at_ms, reopens);
      alerts.push_back(Alert{"budget.exhausted", s, key_of(l, now_ms)});
      verdict.violated.push_back(std::move(s));
    }
    if (!reopen_known) verdict.reopens_at_ms = 0;
    return verdict;
  }

  static std::string key_of(const EffectiveLimit& l, int64_t now_ms) {
    return l.level + ":" + l.name + ":" + l.spec.metric + ":" + std::to_string(l.spec.value) + ":" +
           l.spec.window.instance_key(now_ms);
  }

  void count(const store::UsageRow& row) {
    const Totals amount = of_row(row);
    for (const auto& scope : scopes_of(row)) counters.add(scope, row.timestamp_ms, amount);
  }

  void maybe_prune(int64_t now_ms) {
    if (now_ms - last_prune_ms < kPruneEveryMs) return;
    last_prune_ms = now_ms;
    counters.prune(now_ms);
    for (auto it = settled.begin(); it != settled.end();)
      it = now_ms - it->second > kSettledMemoryMs ? settled.erase(it) : std::next(it);
  }

  void emit(const std::vector<Alert>& alerts) const {
    if (!sink) return;
    for (const auto& a : alerts) sink(a);
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
  std::lock_guard lock(state->ledger->mutex);
  state->ledger->unhold(*state);
}

void Reservation::settle(const store::UsageRow& actual) {
  if (!state_) return;
  auto state = std::move(state_);
  Ledger::Impl& ledger = *state->ledger;
  std::vector<Alert> alerts;
  {
    std::lock_guard lock(ledger.mutex);
    if (state->done) return;  // already settled by record() of its row
    ledger.settle(*state, actual, alerts);
    if (actual.outcome == "success" && !actual.id.empty()) ledger.settled[actual.id] = actual.timestamp_ms;
  }
  ledger.emit(alerts);
}

// --- Ledger ---

Ledger::Ledger() : impl_(std::make_shared<Impl>()) {}
Ledger::~Ledger() = default;

int64_t Ledger::history_ms() {
  return kRetentionMs;
}

void Ledger::set_alert_sink(std::function<void(const Alert&)> sink) {
  std::lock_guard lock(impl_->mutex);
  impl_->sink = std::move(sink);
}

void Ledger::load(const std::vector<store::UsageRow>& rows, int64_t now_ms) {
  std::lock_guard lock(impl_->mutex);
  impl_->counters.clear_usage();
  for (const auto& row : rows)
    if (row.outcome == "success" && row.timestamp_ms >= now_ms - kRetentionMs) impl_->count(row);
  impl_->last_prune_ms = now_ms;
}

void Ledger::record(const store::UsageRow& row) {
  std::vector<Alert> alerts;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->maybe_prune(row.timestamp_ms);
    if (!row.id.empty() && impl_->settled.erase(row.id) > 0) return;  // counted by Reservation::settle
    bool settled = false;
    // Only a success row settles: a failed attempt's row (SPEC §9.1) arrives asynchronously and
    // must not release the reservation of the next attempt of the same call (same trace id);
    // a failed attempt's own reservation is released by its handle.
    if (!row.trace_id.empty() && row.outcome == "success") {
      if (auto it = impl_->open.find(row.trace_id); it != impl_->open.end()) {
        if (auto state = it->second.lock()) {
          impl_->settle(*state, row, alerts);  // counts the row
          settled = true;
        } else {
          impl_->open.erase(it);
        }
      }
    }
    if (!settled && row.outcome == "success") impl_->count(row);
  }
  impl_->emit(alerts);
}

Verdict Ledger::check(const config::Snapshot& snap, std::string_view model_id, std::string_view project_id,
                      std::string_view token_id, int64_t now_ms) const {
  const auto limits = effective_limits(snap, model_id, project_id, token_id);
  std::vector<Alert> alerts;
  Verdict verdict;
  {
    std::lock_guard lock(impl_->mutex);
    verdict = impl_->evaluate(limits, now_ms, alerts);
  }
  impl_->emit(alerts);
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
  std::vector<Alert> alerts;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->maybe_prune(now_ms);
    attempt.verdict = impl_->evaluate(limits, now_ms, alerts);
    if (attempt.verdict.allowed) {
      auto state = std::make_shared<Reservation::State>();
      state->ledger = impl_;
      state->amount = Totals{estimate.cost, 1, estimate.input_tokens, estimate.output_tokens};
      // Reserved in the scopes of the row the call will produce.
      store::UsageRow shape;
      shape.project_id = std::string(project_id);  // rows carry the id; callers may pass the slug
      if (const auto* project = project_id.empty() ? nullptr : snap.project(project_id))
        if (const auto* id = project->if_contains("id"); id != nullptr && id->is_string())
          shape.project_id = std::string(id->as_string());
      shape.model_id = std::string(model_id);
      shape.token_id = std::string(token_id);
      state->scopes = scopes_of(shape);
      for (const auto& scope : state->scopes) impl_->counters.reserved(scope).add(state->amount);
      state->limits = std::move(limits);
      state->threshold_percent = threshold_percent(snap);
      state->key = std::string(settle_key);
      if (!state->key.empty()) impl_->open[state->key] = state;
      attempt.reservation.state_ = std::move(state);
    }
  }
  impl_->emit(alerts);
  return attempt;
}

}  // namespace routerly::budget
