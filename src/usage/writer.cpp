// The batched usage writer. One thread takes up to max_batch rows at a time and writes them
// in one store transaction. A failed batch is logged and retried once; if the retry fails
// too the rows are dropped with an error naming how many (the store is the only durable
// place; holding them forever would grow memory without bound while the disk is broken).
#include "usage/writer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace routerly::usage {

namespace {
constexpr auto kRetryDelay = std::chrono::milliseconds(50);
// How long the writer waits for a batch to fill before writing what it has. Trades at most
// this much delay before a record is on disk for one transaction per burst instead of one
// per request (flush() and shutdown skip the wait).
constexpr auto kLinger = std::chrono::milliseconds(25);
}  // namespace

Writer::Writer(store::Store& store, std::size_t max_batch)
    : store_(store), max_batch_(max_batch == 0 ? 1 : max_batch), thread_([this] { run(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();  // run() drains the queue before it returns
}

void Writer::submit(store::UsageRow row) {
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    for (const auto& listener : listeners_) listener(row);
    was_empty = queue_.empty();
    queue_.push_back(std::move(row));
    ++submitted_;
  }
  // The writer is idle only when the queue was empty; otherwise it is awake or lingering.
  if (was_empty) wake_.notify_one();
}

void Writer::flush() {
  std::unique_lock lock(mutex_);
  const std::size_t target = submitted_;
  ++flush_waiters_;
  wake_.notify_one();  // cut a linger short
  drained_.wait(lock, [&] { return done_ >= target; });
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

std::size_t Writer::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

void Writer::run() {
  std::vector<store::UsageRow> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and drained
    wake_.wait_for(lock, kLinger,
                   [&] { return stopping_ || flush_waiters_ > 0 || queue_.size() >= max_batch_; });
    batch.clear();
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();

    auto ok = store_.insert_usage(batch);
    if (!ok) {
      spdlog::warn("usage writer: writing {} usage records failed ({}); retrying once", batch.size(),
                   ok.error().message);
      std::this_thread::sleep_for(kRetryDelay);
      ok = store_.insert_usage(batch);
      if (!ok) {
        spdlog::error("usage writer: dropped {} usage records after a failed retry ({})", batch.size(),
                      ok.error().message);
      }
    }

    lock.lock();
    (ok ? written_ : failed_) += batch.size();
    done_ += batch.size();
    drained_.notify_all();
  }
}

}  // namespace routerly::usage
