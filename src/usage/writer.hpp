#pragma once
// The usage writer: the request path only enqueues; writer threads put the records into the
// store, or into the spool (usage/spool.hpp) when the store cannot take them in time, and
// replay the spool into the store once it can. No record is dropped unless the spool's disk
// fails too (then each lost record is counted and logged as an error).
//
// Two threads share a bounded in-memory queue:
// - the store thread writes batches of it into the store, and replays spooled records
//   (oldest segment first) whenever there are some and the store works;
// - the spool thread moves the whole queue into the spool while the store is failing (a batch
//   failed and the spool is not replayed yet), while a store call has taken longer than
//   `slow_store`, or when the queue is half full.
// A batch the store refused goes to the spool as well. Records are replayed in the order they
// were spooled; across the two paths rows may reach the store out of submission order (each
// carries its own time, which is what every query sorts by).
//
// Durability: a record is "settled" once it is committed to the store or appended to the
// spool. With options.sync() true, commits are durable (Store::set_sync_commits) and spool
// appends are fdatasync'ed, so a settled record survives a power loss; otherwise a settled
// record survives a crash of the process (SQLite's WAL and the spool file are written
// through to the OS). when_settled() lets a caller wait for it (usage/settle_wait.hpp adapts
// it to Asio).
//
// Subscribers see every record as it is submitted (in-memory stats, metrics, budgets).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/store.hpp"
#include "usage/spool.hpp"

namespace routerly::metrics {
class Registry;
}

namespace routerly::usage {

struct WriterOptions {
  std::size_t max_batch = 512;  // records per store transaction
  // The most records held in memory; read again as records come (a live setting). When the
  // queue is full, submit() waits until the spool thread has made room: it happens only when
  // the spool's disk is slower than the incoming records.
  std::function<std::size_t()> queue_max = [] { return std::size_t{10000}; };
  // True: settled means durable against a power loss (settings.usageDurability "sync").
  std::function<bool()> sync = [] { return false; };
  metrics::Registry* metrics = nullptr;  // routerly_usage_* metrics; none when null
  // How long a batch waits for more records before it is written, unless someone waits for
  // it: at most this much delay before a record reaches the store, for one transaction per
  // burst instead of one per request.
  std::chrono::milliseconds linger{25};
  // A store call running longer than this sends the queue to the spool instead of waiting.
  std::chrono::milliseconds slow_store{250};
  // After a failed store call, how long before the spool is replayed again (doubling up to
  // the maximum while it keeps failing).
  std::chrono::milliseconds retry_min{100}, retry_max{2000};
};

class Writer {
 public:
  // Submission number of a record (the first is 1); 0 stands for "nothing".
  using Ticket = std::uint64_t;

  // Replays what the spool holds from an earlier run before returning (a failing store leaves
  // it for the store thread), then starts the threads.
  Writer(store::Store& store, std::unique_ptr<Spool> spool, WriterOptions options = {});
  ~Writer();  // settles everything queued (store, else spool), then stops the threads
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Never touches the store or a disk. Thread-safe. Waits only when the queue is full (see
  // WriterOptions::queue_max).
  Ticket submit(store::UsageRow row);
  // The ticket of the last record submitted so far (0 when none).
  Ticket last_ticket() const;
  // Calls `done` once every record up to `ticket` is settled: at once on this thread if they
  // are, else on a writer thread (under the writer's lock: only hand work over from it, e.g.
  // post to an executor, and never call the writer).
  void when_settled(Ticket ticket, std::function<void()> done);
  bool settled(Ticket ticket) const;
  // Blocks until everything submitted so far is settled.
  void flush();
  // Whether records are to be made durable (WriterOptions::sync, read now).
  bool sync_mode() const { return options_.sync(); }
  // Called synchronously from submit() (on the caller's thread, in submission order, under the
  // writer's lock): keep it cheap and do not submit from it.
  void subscribe(std::function<void(const store::UsageRow&)> listener);

  // Counts since start (rows): committed by the store thread from the queue, appended to the
  // spool, replayed from the spool into the store, lost (the spool failed as well).
  std::size_t written() const;
  std::size_t spooled() const;
  std::size_t replayed() const;
  std::size_t dropped() const;
  std::size_t queue_depth() const;

 private:
  struct Entry {
    Ticket ticket;
    store::UsageRow row;
  };
  // A spool segment being replayed by the store thread.
  struct Replay {
    uint64_t segment = 0;
    std::vector<store::UsageRow> rows;
    std::size_t next = 0;  // rows before it are committed
  };

  enum class Loaded { loaded, empty, failed };

  void run_store();
  void run_spool();
  // Store thread steps: the lock is held on entry and exit and released around I/O.
  void write_queue_batch(std::unique_lock<std::mutex>& lock);
  void replay_batch(std::unique_lock<std::mutex>& lock);
  bool load_segment(std::unique_lock<std::mutex>& lock);
  // I/O, without the lock (store thread, or no thread running yet / any more).
  Loaded load_next_segment();
  Result<void> insert(const std::vector<store::UsageRow>& rows, bool sync);
  Result<void> insert_replayed(const std::vector<store::UsageRow>& rows);
  void replay_at_start();
  void drain_at_stop();

  // With mutex_ held.
  std::vector<store::UsageRow> take(std::size_t max, Ticket& first);
  bool spool_thread_due(std::chrono::steady_clock::time_point now) const;
  bool spool_pending() const;
  std::size_t high_water() const;
  Ticket settled_through() const;
  void settle();  // runs the waiters whose records are settled, wakes flush()
  void count_spooled(const Spool::Appended& appended, std::size_t total);
  void store_failed(std::chrono::steady_clock::time_point now);

  store::Store& store_;
  std::unique_ptr<Spool> spool_;
  WriterOptions options_;
  std::optional<bool> store_sync_;  // what the store was last told (store thread only)
  std::optional<Replay> replay_;    // store thread only (or no thread)

  mutable std::mutex mutex_;
  std::condition_variable store_wake_, spool_wake_, settled_cv_, room_;
  std::deque<Entry> queue_;
  std::vector<std::function<void(const store::UsageRow&)>> listeners_;
  std::multimap<Ticket, std::function<void()>> waiters_;
  Ticket submitted_ = 0;
  std::size_t queue_max_ = 1;  // options_.queue_max(), read again by the store thread
  // First ticket of the batch the store thread / the spool thread is writing (0: none).
  Ticket store_batch_first_ = 0, spool_batch_first_ = 0;
  std::optional<std::chrono::steady_clock::time_point> store_call_started_;
  bool store_failing_ = false;  // a store call failed and the spool is not replayed since
  std::chrono::steady_clock::time_point next_replay_{};
  std::chrono::milliseconds retry_delay_;
  bool replay_turn_ = false;  // alternates queue and spool batches when both wait
  // Appends to the spool so far, and how many of them the store thread had seen when it last
  // found the spool empty: more since means there is something to replay.
  uint64_t spool_appends_ = 0, spool_checked_ = 0;
  std::size_t flush_waiters_ = 0;
  std::size_t written_ = 0, spooled_ = 0, replayed_ = 0, dropped_ = 0;
  bool stopping_ = false;
  std::thread store_thread_, spool_thread_;
};

}  // namespace routerly::usage
