#include "budget/journal.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "budget/resolve.hpp"
#include "common/clock.hpp"

namespace routerly::budget {

namespace {

constexpr auto kIdleTick = std::chrono::seconds(1);
constexpr auto kRetryDelay = std::chrono::seconds(1);
constexpr auto kProgressEvery = std::chrono::seconds(5);
// The backfill counts this much history per transaction, on boundaries of this width, so an
// hour bucket never spans two steps.
constexpr int64_t kBackfillStepMs = 6 * kHourMs;
// History newer than this is counted per second (short rolling windows read it at that
// resolution); older history per hour.
constexpr int64_t kBackfillFineMs = 3 * kDayMs;

int64_t floor_to(int64_t ms, int64_t width) {
  return ms / width * width - (ms % width < 0 ? width : 0);
}

void add_into(store::CounterDelta& into, const store::CounterDelta& d) {
  into.calls += d.calls;
  into.input_tokens += d.input_tokens;
  into.output_tokens += d.output_tokens;
  into.cost += d.cost;
}

}  // namespace

Result<std::unique_ptr<CounterJournal>> CounterJournal::open(store::Store& store, Ledger ledger) {
  auto counters = store.load_budget_counters(clock::now_ms() - Ledger::history_ms());
  if (!counters) return std::unexpected(counters.error());
  auto backfill = store.budget_backfill();
  if (!backfill) return std::unexpected(backfill.error());
  ledger.load(*counters);
  return std::unique_ptr<CounterJournal>(new CounterJournal(store, std::move(ledger), *backfill));
}

CounterJournal::CounterJournal(store::Store& store, Ledger ledger, std::optional<store::CounterBackfill> backfill)
    : store_(store), ledger_(std::move(ledger)), backfill_(backfill), backfilled_(!backfill) {
  if (backfill_)
    spdlog::info("budgets: counting the usage recorded before {} into the budget counters, in the background",
                 clock::iso_utc(backfill_->until_ms));
  ledger_.set_charge_sink([this](std::vector<store::CounterDelta> charges, std::shared_ptr<Durability> urgent) {
    accept(std::move(charges), std::move(urgent));
  });
  thread_ = std::thread([this] { run(); });
}

CounterJournal::~CounterJournal() {
  ledger_.close_leases();          // their unused parts go back through the sink
  ledger_.set_charge_sink({});     // from here on the ledger counts in memory only
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();  // run() writes what is queued before it returns
}

void CounterJournal::accept(std::vector<store::CounterDelta> charges, std::shared_ptr<Durability> urgent) {
  {
    std::lock_guard lock(mutex_);
    if (urgent) {
      urgent_.insert(urgent_.end(), std::make_move_iterator(charges.begin()), std::make_move_iterator(charges.end()));
      waiting_.push_back(std::move(urgent));
    } else {
      for (auto& c : charges) {
        auto [it, fresh] = later_.try_emplace({c.scope, floor_to(c.at_ms, kSecondMs)}, c);
        if (!fresh) add_into(it->second, c);
      }
    }
    ++accepted_;
  }
  wake_.notify_one();
}

void CounterJournal::flush() {
  std::unique_lock lock(mutex_);
  const std::size_t target = accepted_;
  ++flush_waiters_;
  wake_.notify_one();
  written_.wait(lock, [&] { return done_ >= target; });
  --flush_waiters_;
}

bool CounterJournal::backfilled() const {
  return backfilled_.load();
}

CounterJournal::Batch CounterJournal::take() {
  Batch batch;
  batch.urgent.swap(urgent_);
  batch.waiting.swap(waiting_);
  batch.later.reserve(later_.size());
  for (auto& [key, delta] : later_) batch.later.push_back(std::move(delta));
  later_.clear();
  batch.upto = accepted_;
  return batch;
}

void CounterJournal::write(Batch& batch) {
  std::vector<store::CounterDelta> all = batch.urgent;
  all.insert(all.end(), batch.later.begin(), batch.later.end());
  auto ok = store_.add_budget_counters(all);
  for (const auto& w : batch.waiting) w->settle(ok.has_value());
  std::lock_guard lock(mutex_);
  if (ok) {
    if (failing_) spdlog::info("budgets: the counters are being written again");
    failing_ = false;
    return;
  }
  if (!failing_)
    spdlog::error("budgets: writing the budget counters failed ({}); leases are refused and other charges kept "
                  "until the store accepts them",
                  ok.error().message);
  failing_ = true;
  // Lease grants are dropped: their callers were refused. Everything else waits for a retry.
  for (auto& c : batch.later) {
    auto [it, fresh] = later_.try_emplace({c.scope, floor_to(c.at_ms, kSecondMs)}, c);
    if (!fresh) add_into(it->second, c);
  }
}

void CounterJournal::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    auto urgent = [&] { return stopping_ || !waiting_.empty() || flush_waiters_ > 0; };
    const bool background = backfill_.has_value() && !failing_;
    wake_.wait_for(lock, background ? std::chrono::milliseconds(0) : std::chrono::milliseconds(kIdleTick),
                   [&] { return urgent() || !later_.empty(); });
    if (!urgent() && !later_.empty()) wake_.wait_for(lock, failing_ ? kRetryDelay : kLinger, urgent);
    Batch batch = take();
    const bool stopping = stopping_;
    lock.unlock();
    if (!batch.urgent.empty() || !batch.later.empty() || !batch.waiting.empty()) {
      write(batch);
    } else if (!stopping) {
      if (backfill_) {
        backfill_step();
      } else if (std::chrono::steady_clock::now() - last_compact_ >= kCompactEvery) {
        compact();
      }
    }
    lock.lock();
    done_ = std::max(done_, batch.upto);
    written_.notify_all();
    // At the stop, one last attempt: what still fails then is reported, not retried forever.
    if (stopping && urgent_.empty() && waiting_.empty() && (later_.empty() || failing_)) {
      if (!later_.empty())
        spdlog::error("budgets: {} budget counter updates could not be written before exit", later_.size());
      return;
    }
  }
}

void CounterJournal::backfill_step() {
  const int64_t now = clock::now_ms();
  store::CounterBackfill& b = *backfill_;
  const int64_t from = std::max(b.next_ms, now - Ledger::history_ms());
  const int64_t to = std::min(b.until_ms, floor_to(from, kBackfillStepMs) + kBackfillStepMs);
  const int64_t width = to <= now - kBackfillFineMs ? kHourMs : kSecondMs;
  auto groups = store_.usage_groups(from, to, width);
  std::vector<store::CounterDelta> deltas;
  if (groups) {
    for (const store::UsageGroup& g : *groups) {
      store::UsageRow shape;
      shape.project_id = g.project_id;
      shape.token_id = g.token_id;
      shape.model_id = g.model_id;
      for (auto& scope : scopes_of(shape))
        deltas.push_back(store::CounterDelta{std::move(scope), g.bucket_ms, g.calls, g.input_tokens,
                                             g.output_tokens, g.cost});
    }
  }
  auto ok = groups ? store_.add_budget_counters(deltas, to) : Result<void>(std::unexpected(groups.error()));
  if (!ok) {
    spdlog::error("budgets: counting the usage history failed ({}); retrying", ok.error().message);
    std::this_thread::sleep_for(kRetryDelay);
    return;
  }
  ledger_.load(deltas);
  b.next_ms = to;
  if (to >= b.until_ms) {
    backfill_.reset();
    backfilled_ = true;
    spdlog::info("budgets: the usage history is counted; budgets are exact");
  } else if (std::chrono::steady_clock::now() - last_progress_log_ >= kProgressEvery) {
    last_progress_log_ = std::chrono::steady_clock::now();
    spdlog::info("budgets: usage history counted up to {}", clock::iso_utc(to));
  }
}

void CounterJournal::compact() {
  last_compact_ = std::chrono::steady_clock::now();
  const int64_t now = clock::now_ms();
  if (auto ok = store_.compact_budget_counters(now, now - Ledger::history_ms()); !ok)
    spdlog::warn("budgets: compacting the budget counters failed: {}", ok.error().message);
}

}  // namespace routerly::budget
