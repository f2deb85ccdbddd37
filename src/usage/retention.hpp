#pragma once
// Usage retention (issue 5): deletes usage records older than `retentionDays` once at start
// and then every `interval` from its own thread. The setting is read on every run, so a
// change applies at the next run; no value means keep forever.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "store/store.hpp"

namespace routerly::usage {

class Retention {
 public:
  using DaysSource = std::function<std::optional<int64_t>()>;
  static constexpr std::chrono::milliseconds kDefaultInterval = std::chrono::hours(1);

  // Starts the thread unless `interval` is zero (tests call run_once() themselves).
  Retention(store::Store& store, DaysSource days, std::chrono::milliseconds interval = kDefaultInterval,
            std::function<int64_t()> now_ms = {});
  ~Retention();  // stops the thread (a purge in progress finishes its current batch run first)
  Retention(const Retention&) = delete;
  Retention& operator=(const Retention&) = delete;

  // One purge now: rows older than now − days are deleted. Returns how many (0 when off).
  Result<int64_t> run_once();

 private:
  void run();
  store::Store& store_;
  DaysSource days_;
  std::chrono::milliseconds interval_;
  std::function<int64_t()> now_ms_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace routerly::usage
