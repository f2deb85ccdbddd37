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
}

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
  {
    std::lock_guard lock(mutex_);
    for (const auto& listener : listeners_) listener(row);
    queue_.push_back(std::move(row));
    ++submitted_;
  }
  wake_.notify_one();
}

void Writer::flush() {
  std::unique_lock lock(mutex_);
  const std::size_t target = submitted_;
  drained_.wait(lock, [&] { return done_ >= target; });
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
