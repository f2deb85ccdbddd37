#pragma once
// The counter journal: makes the ledger's charges durable. It is the ledger's charge sink: lease
// grants are written at once (one transaction serves every lease waiting, then their waiters
// are told), other charges (use beyond estimates, unused leases given back, use no limit
// applied to) within kLinger, coalesced per scope and second. At start it loads the stored
// counters into the ledger; in the background it counts an older installation's usage history
// into them and keeps them compact. Destroying it gives every lease's unused part back and
// writes everything, then detaches from the ledger.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "budget/ledger.hpp"
#include "store/store.hpp"

namespace routerly::budget {

class CounterJournal {
 public:
  static constexpr auto kLinger = std::chrono::milliseconds(100);
  static constexpr auto kCompactEvery = std::chrono::minutes(10);

  // Loads the stored counters into `ledger` (start-up: blocking) and becomes its charge sink.
  // Fails when the counters cannot be read: budgets would start from nothing.
  static Result<std::unique_ptr<CounterJournal>> open(store::Store& store, Ledger ledger);
  ~CounterJournal();
  CounterJournal(const CounterJournal&) = delete;
  CounterJournal& operator=(const CounterJournal&) = delete;

  // Blocks until every charge handed over so far has been written (or its write failed).
  void flush();
  // False while an older history is still being counted into the counters.
  bool backfilled() const;

 private:
  struct Batch {
    std::vector<store::CounterDelta> urgent;
    std::vector<std::shared_ptr<Durability>> waiting;
    std::vector<store::CounterDelta> later;
    std::size_t upto = 0;  // sequence number of the last charge batch included
  };
  CounterJournal(store::Store& store, Ledger ledger, std::optional<store::CounterBackfill> backfill);
  void accept(std::vector<store::CounterDelta> charges, std::shared_ptr<Durability> urgent);
  void run();
  Batch take();  // lock held
  void write(Batch& batch);
  void backfill_step();
  void compact();

  store::Store& store_;
  Ledger ledger_;
  mutable std::mutex mutex_;
  bool failing_ = false;  // the last write failed (logged once per streak)
  std::condition_variable wake_, written_;
  std::vector<store::CounterDelta> urgent_;
  std::vector<std::shared_ptr<Durability>> waiting_;
  std::map<std::pair<std::string, int64_t>, store::CounterDelta> later_;  // by (scope, second)
  std::size_t accepted_ = 0, done_ = 0;
  std::size_t flush_waiters_ = 0;
  std::optional<store::CounterBackfill> backfill_;  // the journal thread's only
  std::atomic<bool> backfilled_{true};
  std::chrono::steady_clock::time_point last_progress_log_{};
  bool stopping_ = false;
  std::chrono::steady_clock::time_point last_compact_{};
  std::thread thread_;
};

}  // namespace routerly::budget
