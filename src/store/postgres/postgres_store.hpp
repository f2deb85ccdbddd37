#pragma once
// The PostgreSQL Store: the same contract as the SQLite store, for any number of gateway
// instances sharing one database. Every call borrows a pooled connection (pool.hpp) for its
// duration; writes that must be all-or-nothing run in one transaction; additive writes (usage
// rollups, budget counters) are upserts that add, in key order, so that concurrent writers
// add up and never deadlock. Member functions are defined in files named after the tables
// they touch.
#include <atomic>
#include <memory>
#include <string>

#include "store/postgres/pool.hpp"
#include "store/store.hpp"

namespace routerly::store::postgres {

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::unique_ptr<Pool> pool) : pool_(std::move(pool)) {}

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

  Result<void> scan_usage_samples(int64_t since_ms,
                                  const std::function<void(const UsageSample&)>& visit) override;
  // Every row is summed into the rollups by its own insert: a PostgreSQL store has no history
  // from before them.
  bool usage_rollups_ready() const override { return true; }

  Result<void> put_response(std::string_view id, std::string_view project_id, const boost::json::object& doc,
                            int64_t expires_ms) override;
  Result<std::optional<boost::json::object>> get_response(std::string_view id, std::string_view project_id,
                                                          int64_t now_ms) override;
  Result<std::optional<StoredResponse>> find_response(std::string_view id, int64_t now_ms) override;
  Result<bool> delete_response(std::string_view id, std::string_view project_id, int64_t now_ms) override;

  Result<void> check_writable() override;
  // set_sync_commits keeps the default: a commit is as durable as the server's
  // synchronous_commit makes it (by default flushed to disk before the commit returns).

 private:
  std::unique_ptr<Pool> pool_;
  std::atomic<int64_t> last_response_purge_ms_{0};
};

struct PostgresOptions {
  std::size_t pool_size = 4;
  ConnectOptions connect;
};

// Connects, applies pending migrations and returns the store. `url` is a postgres:// or
// postgresql:// URL (libpq's syntax); errors name the server but never the password.
Result<std::unique_ptr<PostgresStore>> open_postgres_store(const std::string& url,
                                                           PostgresOptions options = {});

}  // namespace routerly::store::postgres
