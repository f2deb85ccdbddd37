// The usage writer's two threads (see writer.hpp for the design). Invariants, all under mutex_:
// - every submitted record is in exactly one place: the queue, the store thread's batch, the
//   spool thread's batch, or settled (store, spool, or counted as dropped);
// - tickets in the queue increase from front to back, and each batch is a run of consecutive
//   tickets, so the highest settled-through ticket is one below the lowest pending one.
// The store and the spool are only called with mutex_ released: submit() never waits on them.
#include "usage/writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "metrics/registry.hpp"

namespace routerly::usage {

namespace {
using Clock = std::chrono::steady_clock;
// Rows the spool thread moves in one append: bounds how long its records wait to be settled.
constexpr std::size_t kSpoolChunk = 4096;
}  // namespace

Writer::Writer(store::Store& store, std::unique_ptr<Spool> spool, WriterOptions options)
    : store_(store), spool_(std::move(spool)), options_(std::move(options)), retry_delay_(options_.retry_min) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  queue_max_ = std::max<std::size_t>(1, options_.queue_max());
  if (!spool_->empty()) spool_appends_ = 1;
  replay_at_start();
  store_thread_ = std::thread([this] { run_store(); });
  spool_thread_ = std::thread([this] { run_spool(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  store_wake_.notify_all();
  spool_wake_.notify_all();
  room_.notify_all();
  store_thread_.join();
  spool_thread_.join();
  drain_at_stop();
}

Writer::Ticket Writer::submit(store::UsageRow row) {
  std::unique_lock lock(mutex_);
  for (const auto& listener : listeners_) listener(row);
  if (queue_.size() >= queue_max_) {
    // Only when the spool's disk lags behind the incoming records (the spool thread takes
    // the queue long before it is full otherwise).
    spool_wake_.notify_one();
    room_.wait(lock, [&] { return queue_.size() < queue_max_ || stopping_; });
  }
  const bool was_empty = queue_.empty();
  const Ticket ticket = ++submitted_;
  queue_.push_back(Entry{ticket, std::move(row)});
  if (options_.metrics != nullptr) options_.metrics->usage_queue_changed(1);
  if (was_empty && !store_failing_) store_wake_.notify_one();  // otherwise awake or lingering
  if (store_failing_ || (was_empty && store_call_started_) || queue_.size() == high_water())
    spool_wake_.notify_one();
  return ticket;
}

Writer::Ticket Writer::last_ticket() const {
  std::lock_guard lock(mutex_);
  return submitted_;
}

void Writer::when_settled(Ticket ticket, std::function<void()> done) {
  {
    std::lock_guard lock(mutex_);
    if (ticket > settled_through()) {
      waiters_.emplace(ticket, std::move(done));
      store_wake_.notify_one();  // someone waits: cut a linger short
      return;
    }
  }
  done();
}

bool Writer::settled(Ticket ticket) const {
  std::lock_guard lock(mutex_);
  return ticket <= settled_through();
}

void Writer::flush() {
  std::unique_lock lock(mutex_);
  const Ticket target = submitted_;
  ++flush_waiters_;
  store_wake_.notify_one();
  settled_cv_.wait(lock, [&] { return settled_through() >= target; });
  --flush_waiters_;
}

void Writer::subscribe(std::function<void(const store::UsageRow&)> listener) {
  std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
}

std::size_t Writer::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}
std::size_t Writer::spooled() const {
  std::lock_guard lock(mutex_);
  return spooled_;
}
std::size_t Writer::replayed() const {
  std::lock_guard lock(mutex_);
  return replayed_;
}
std::size_t Writer::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}
std::size_t Writer::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

// --- shared steps (mutex_ held) ---

std::size_t Writer::high_water() const {
  return std::max<std::size_t>(1, queue_max_ / 2);
}

Writer::Ticket Writer::settled_through() const {
  Ticket lowest_pending = submitted_ + 1;
  if (!queue_.empty()) lowest_pending = std::min(lowest_pending, queue_.front().ticket);
  if (store_batch_first_ != 0) lowest_pending = std::min(lowest_pending, store_batch_first_);
  if (spool_batch_first_ != 0) lowest_pending = std::min(lowest_pending, spool_batch_first_);
  return lowest_pending - 1;
}

void Writer::settle() {
  const Ticket through = settled_through();
  while (!waiters_.empty() && waiters_.begin()->first <= through) {
    auto done = std::move(waiters_.begin()->second);
    waiters_.erase(waiters_.begin());
    done();
  }
  settled_cv_.notify_all();
}

std::vector<store::UsageRow> Writer::take(std::size_t max, Ticket& first) {
  std::vector<store::UsageRow> rows;
  first = queue_.empty() ? 0 : queue_.front().ticket;
  while (!queue_.empty() && rows.size() < max) {
    rows.push_back(std::move(queue_.front().row));
    queue_.pop_front();
  }
  if (options_.metrics != nullptr) options_.metrics->usage_queue_changed(-static_cast<int64_t>(rows.size()));
  room_.notify_all();
  return rows;
}

void Writer::count_spooled(const Spool::Appended& appended, std::size_t total) {
  spooled_ += appended.rows;
  ++spool_appends_;
  if (options_.metrics != nullptr) options_.metrics->usage_spooled(appended.rows);
  if (appended.rows == total) return;
  const std::size_t lost = total - appended.rows;
  dropped_ += lost;
  if (options_.metrics != nullptr) options_.metrics->usage_dropped(lost);
  spdlog::error(
      "usage writer: LOST {} usage record(s): the store could not take them and the spool in {} cannot either "
      "({}). Free disk space there; records are dropped until it can be written again",
      lost, spool_->directory().string(), appended.error ? appended.error->message : std::string("unknown error"));
}

void Writer::store_failed(Clock::time_point now) {
  store_failing_ = true;
  next_replay_ = now + retry_delay_;
  retry_delay_ = std::min(retry_delay_ * 2, options_.retry_max);
  spool_wake_.notify_one();  // the queue goes to the spool from now on
}

bool Writer::spool_pending() const {
  return replay_.has_value() || spool_appends_ > spool_checked_;
}

// --- store I/O (mutex_ released) ---

Result<void> Writer::insert(const std::vector<store::UsageRow>& rows, bool sync) {
  if (store_sync_ != sync) {
    if (auto set = store_.set_sync_commits(sync); !set) {
      if (sync) return set;  // not durable: let the caller spool the rows (with fdatasync) instead
      spdlog::warn("usage writer: cannot relax the store's commit durability: {}", set.error().message);
    } else {
      store_sync_ = sync;
    }
  }
  return store_.insert_usage(rows);
}

// --- the store thread ---

void Writer::run_store() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    queue_max_ = std::max<std::size_t>(1, options_.queue_max());
    const auto now = Clock::now();
    // Nothing spooled to prove the store back with (the spool failed too): try it with the queue.
    if (store_failing_ && !spool_pending() && now >= next_replay_) store_failing_ = false;
    const bool queue_ready = !queue_.empty() && !store_failing_;
    const bool spool_ready = spool_pending() && now >= next_replay_;
    if (spool_ready && (replay_turn_ || !queue_ready)) {
      replay_turn_ = false;
      if (!replay_ && !load_segment(lock)) continue;
      replay_batch(lock);
    } else if (queue_ready) {
      replay_turn_ = true;  // queue and spool take turns while both have records
      write_queue_batch(lock);
    } else if (spool_pending()) {
      store_wake_.wait_until(lock, next_replay_);
    } else {
      store_wake_.wait(lock);
    }
  }
}

void Writer::write_queue_batch(std::unique_lock<std::mutex>& lock) {
  // In sync mode answers wait for their record: no lingering. The records that arrive during
  // one commit form the next one's group.
  const bool sync = options_.sync();
  if (!sync && waiters_.empty() && flush_waiters_ == 0 && queue_.size() < options_.max_batch)
    store_wake_.wait_for(lock, options_.linger, [&] {
      return stopping_ || store_failing_ || queue_.empty() || !waiters_.empty() || flush_waiters_ > 0 ||
             queue_.size() >= options_.max_batch;
    });
  if (queue_.empty() || store_failing_) return;  // the spool thread took the queue meanwhile
  Ticket first = 0;
  std::vector<store::UsageRow> rows = take(options_.max_batch, first);
  store_batch_first_ = first;
  store_call_started_ = Clock::now();
  lock.unlock();
  auto inserted = insert(rows, sync);
  Spool::Appended appended;
  if (!inserted) {
    spdlog::warn("usage writer: the store did not take {} usage record(s) ({}); they go to the spool", rows.size(),
                 inserted.error().message);
    appended = spool_->append(rows, sync);
  }
  lock.lock();
  store_call_started_.reset();
  store_batch_first_ = 0;
  if (inserted) {
    written_ += rows.size();
  } else {
    count_spooled(appended, rows.size());
    store_failed(Clock::now());
  }
  settle();
}

// --- the spool thread ---

bool Writer::spool_thread_due(Clock::time_point now) const {
  return store_failing_ || queue_.size() >= high_water() ||
         (store_call_started_ && now - *store_call_started_ >= options_.slow_store);
}

void Writer::run_spool() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!queue_.empty() && spool_thread_due(Clock::now())) {
      Ticket first = 0;
      std::vector<store::UsageRow> rows = take(kSpoolChunk, first);
      spool_batch_first_ = first;
      const bool sync = options_.sync();
      lock.unlock();
      Spool::Appended appended = spool_->append(rows, sync);
      lock.lock();
      spool_batch_first_ = 0;
      count_spooled(appended, rows.size());
      settle();
      store_wake_.notify_one();  // there is something to replay
    } else if (!queue_.empty() && store_call_started_) {
      spool_wake_.wait_until(lock, *store_call_started_ + options_.slow_store);
    } else {
      spool_wake_.wait(lock);
    }
  }
}

// --- start and stop (no other thread runs) ---

void Writer::drain_at_stop() {
  std::unique_lock lock(mutex_);
  while (!queue_.empty()) {
    Ticket first = 0;
    std::vector<store::UsageRow> rows = take(options_.max_batch, first);
    store_batch_first_ = first;
    const bool sync = options_.sync();
    const bool try_store = !store_failing_;
    lock.unlock();
    const bool inserted = try_store && insert(rows, sync).has_value();
    Spool::Appended appended;
    if (!inserted) appended = spool_->append(rows, sync);
    lock.lock();
    store_batch_first_ = 0;
    if (inserted) {
      written_ += rows.size();
    } else {
      count_spooled(appended, rows.size());
      store_failing_ = true;  // do not wait on a failing store for every batch left
    }
    settle();
  }
  if (!spool_->empty())
    spdlog::warn("usage writer: usage records left in the spool ({}) are replayed at the next start",
                 spool_->directory().string());
}

}  // namespace routerly::usage
