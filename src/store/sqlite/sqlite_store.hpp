#pragma once
// The SQLite Store: one writer connection, serialised by a mutex (SQLite allows one writer at
// a time anyway), and a pool of read-only connections (reader_pool.hpp) for every call that
// only reads, so that no read waits behind a write or a long read. Callers are blocking-pool
// threads. Member functions are defined in files named after the tables they touch.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "store/sqlite/reader_pool.hpp"
#include "store/store.hpp"

namespace routerly::store::sqlite {

struct SqliteOptions {
  std::size_t max_readers = 4;
  // Stored rows summed into the rollups per backfill transaction: small enough that a usage
  // insert or the health probe waiting for the writer waits tens of milliseconds at most.
  int64_t backfill_batch = 2000;
  // The backfill starts this long after the store opens, so that it never competes with the
  // start-up (loading configuration and history) for the writer or the CPU.
  std::chrono::milliseconds backfill_delay{2000};
};

class SqliteStore final : public Store {
 public:
  // Takes ownership of an open, migrated writer connection to `path`; starts the rollup
  // backfill (usage_backfill.cpp) when stored rows are not summed yet.
  SqliteStore(sqlite3* db, std::filesystem::path path, SqliteOptions options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<ConfigDocuments> load_config() override;
  Result<void> save_config(const ConfigChanges& changes) override;

  Result<void> create_session(const Session& session, std::string_view refresh_hash) override;
  Result<std::optional<Session>> get_session(std::string_view session_id) override;
  Result<std::optional<RefreshLookup>> find_refresh(std::string_view refresh_hash) override;
  Result<bool> rotate_refresh(std::string_view session_id, std::string_view old_hash,
                              std::string_view new_hash, int64_t now_ms) override;
  Result<void> revoke_session(std::string_view session_id) override;
  Result<void> revoke_user_sessions(std::string_view user_id, std::string_view keep_session_id) override;

  Result<void> insert_usage(const std::vector<UsageRow>& rows) override;
  Result<UsageQueryResult> query_usage(const UsageQuery& query) override;
  Result<std::optional<UsageRow>> get_usage(std::string_view id) override;
  Result<std::vector<UsageRow>> usage_by_trace(std::string_view trace_id) override;
  Result<std::vector<UsageRow>> usage_since(int64_t since_ms) override;
  Result<int64_t> purge_usage_before(int64_t before_ms) override;

  Result<void> add_budget_counters(const std::vector<CounterDelta>& deltas,
                                   std::optional<int64_t> backfilled_until) override;
  Result<std::vector<CounterDelta>> load_budget_counters(int64_t since_ms) override;
  Result<void> compact_budget_counters(int64_t now_ms, int64_t drop_before_ms) override;
  Result<std::optional<CounterBackfill>> budget_backfill() override;
  Result<std::vector<UsageGroup>> usage_groups(int64_t from_ms, int64_t to_ms, int64_t width_ms) override;

  // Usage analytics (rollups and the routing history).
  Result<void> scan_usage_samples(int64_t since_ms, const std::function<void(const UsageSample&)>& visit) override;
  bool usage_rollups_ready() const override { return rollups_ready_.load(); }
  // Waits until the backfill has summed every stored row (true) or the timeout passed.
  bool wait_for_rollups(std::chrono::milliseconds timeout);

  Result<void> put_response(std::string_view id, std::string_view project_id, const boost::json::object& doc,
                            int64_t expires_ms) override;
  Result<std::optional<boost::json::object>> get_response(std::string_view id, std::string_view project_id,
                                                          int64_t now_ms) override;
  Result<std::optional<StoredResponse>> find_response(std::string_view id, int64_t now_ms) override;
  Result<bool> delete_response(std::string_view id, std::string_view project_id, int64_t now_ms) override;

  Result<void> check_writable() override;
  Result<void> set_sync_commits(bool on) override;

 private:
  // usage_backfill.cpp
  struct BackfillState {
    int64_t next_rowid = 0, last_rowid = 0;
    bool done() const { return next_rowid > last_rowid; }
    // Whether the stored row is already counted in the rollups.
    bool summed(int64_t rowid) const { return rowid < next_rowid || rowid > last_rowid; }
  };
  static Result<BackfillState> read_backfill_state(sqlite3* db);
  Result<bool> backfill_batch();  // true when nothing is left
  void run_backfill();

  std::mutex mutex_;  // the writer connection
  sqlite3* db_;
  int64_t last_response_purge_ms_ = 0;  // guarded by mutex_
  ReaderPool readers_;
  SqliteOptions options_;

  std::atomic<bool> rollups_ready_{false};
  std::atomic<bool> stopping_{false};
  std::mutex backfill_mutex_;
  std::condition_variable backfill_done_;
  std::thread backfill_;  // last: started once everything above exists
};

// open_sqlite with explicit options (tests use small batches).
Result<std::unique_ptr<SqliteStore>> open_sqlite_store(const std::filesystem::path& db_path, SqliteOptions options);

}  // namespace routerly::store::sqlite
