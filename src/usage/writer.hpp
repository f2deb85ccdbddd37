#pragma once
// The asynchronous batched usage writer: the request path only enqueues; one thread drains
// the queue into the store in batches. Nothing acknowledged is lost: flush() and the
// destructor write everything queued. Subscribers see every record as it is submitted
// (in-memory stats, metrics, budgets).
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace routerly::usage {

class Writer {
 public:
  explicit Writer(store::Store& store, std::size_t max_batch = 512);
  ~Writer();  // flushes, then stops the thread
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Never blocks on I/O. Thread-safe.
  void submit(store::UsageRow row);
  // Blocks until everything submitted so far is written (or failed and logged).
  void flush();
  // Called synchronously from submit() (on the caller's thread, in submission order, under the
  // writer's lock): keep it cheap and do not submit from it.
  void subscribe(std::function<void(const store::UsageRow&)> listener);

  std::size_t written() const;
  std::size_t failed() const;

 private:
  void run();
  store::Store& store_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, drained_;
  std::deque<store::UsageRow> queue_;
  std::vector<std::function<void(const store::UsageRow&)>> listeners_;
  std::size_t written_ = 0, failed_ = 0;
  std::size_t submitted_ = 0, done_ = 0;  // sequence numbers: flush() waits for done_ to catch up
  std::size_t flush_waiters_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace routerly::usage
