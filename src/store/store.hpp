#pragma once
// The persistence boundary. Configuration is a set of JSON documents (the SPEC §4 shapes,
// secrets already sealed or hashed by the caller) kept per collection; the gateway holds
// them in memory as an immutable snapshot and writes changes back through save_config.
// Sessions live here too. Every call may block: call from the blocking pool only.
#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "store/budget_rows.hpp"
#include "store/usage_rows.hpp"

namespace routerly::store {

enum class Collection { models, projects, tokens, users, roles };
std::string_view collection_name(Collection c);

// Documents are keyed by their "id" member. Order within a collection is insertion order
// (models and projects are listed in creation order).
struct ConfigDocuments {
  boost::json::object settings;  // empty when never saved
  std::vector<boost::json::object> models;
  std::vector<boost::json::object> projects;
  std::vector<boost::json::object> tokens;  // each has "projectId" and "hash"
  std::vector<boost::json::object> users;   // each has "passwordHash"
  std::vector<boost::json::object> roles;   // custom roles only
};

struct Change {
  Collection collection;
  std::string id;
  std::optional<boost::json::object> doc;  // nullopt = delete
};

struct ConfigChanges {
  std::vector<Change> changes;
  std::optional<boost::json::object> settings;  // replace settings when set
};

struct Session {
  std::string id;
  std::string user_id;
  int64_t created_ms = 0;
  int64_t last_used_ms = 0;
  bool revoked = false;
};

struct RefreshLookup {
  Session session;
  bool superseded = false;  // the token was already rotated: reuse → revoke the session
};

struct StoredResponse {
  std::string project_id;
  std::optional<boost::json::object> doc;  // nullopt: deleted
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<ConfigDocuments> load_config() = 0;
  // Applies all changes in one transaction: all or nothing.
  virtual Result<void> save_config(const ConfigChanges& changes) = 0;

  virtual Result<void> create_session(const Session& session, std::string_view refresh_hash) = 0;
  virtual Result<std::optional<Session>> get_session(std::string_view session_id) = 0;
  virtual Result<std::optional<RefreshLookup>> find_refresh(std::string_view refresh_hash) = 0;
  // Replaces the session's current refresh token. Returns false (and changes nothing) when
  // old_hash is no longer the current one (a concurrent rotation won).
  virtual Result<bool> rotate_refresh(std::string_view session_id, std::string_view old_hash,
                                      std::string_view new_hash, int64_t now_ms) = 0;
  virtual Result<void> revoke_session(std::string_view session_id) = 0;
  // Revokes every session of the user except `keep_session_id` (may be empty).
  virtual Result<void> revoke_user_sessions(std::string_view user_id, std::string_view keep_session_id) = 0;

  // Usage records. insert_usage writes a batch in one transaction.
  virtual Result<void> insert_usage(const std::vector<UsageRow>& rows) = 0;
  virtual Result<UsageQueryResult> query_usage(const UsageQuery& query) = 0;
  virtual Result<std::optional<UsageRow>> get_usage(std::string_view id) = 0;  // with trace
  virtual Result<std::vector<UsageRow>> usage_by_trace(std::string_view trace_id) = 0;
  // Rows with timestamp >= since_ms, oldest first, without traces (rebuilds in-memory stats).
  virtual Result<std::vector<UsageRow>> usage_since(int64_t since_ms) = 0;
  // Deletes usage rows with timestamp < before_ms (retention, issue 5) in short batches so
  // writers are never held up long; returns how many rows went. The default (test fakes)
  // refuses.
  virtual Result<int64_t> purge_usage_before(int64_t before_ms) {
    (void)before_ms;
    return fail(ErrorCode::internal_error, "this store cannot purge usage");
  }

  // Durable budget counters. add_budget_counters adds every delta in one transaction (and
  // records how far the backfill got, when given: both or neither). The defaults (test fakes)
  // refuse.
  virtual Result<void> add_budget_counters(const std::vector<CounterDelta>& deltas,
                                           std::optional<int64_t> backfilled_until = std::nullopt) {
    (void)deltas, (void)backfilled_until;
    return fail(ErrorCode::internal_error, "this store keeps no budget counters");
  }
  // Every counter bucket at or after since_ms, a delta per (scope, bucket).
  virtual Result<std::vector<CounterDelta>> load_budget_counters(int64_t since_ms) {
    (void)since_ms;
    return fail(ErrorCode::internal_error, "this store keeps no budget counters");
  }
  // Merges one-second buckets older than 3 hours into minutes and minutes older than 3 days
  // into hours, and drops buckets before drop_before_ms, so the counters stay small at any age.
  virtual Result<void> compact_budget_counters(int64_t now_ms, int64_t drop_before_ms) {
    (void)now_ms, (void)drop_before_ms;
    return fail(ErrorCode::internal_error, "this store keeps no budget counters");
  }
  // The part of the usage history the counters do not hold yet (an installation upgraded from
  // before they existed); nullopt once it is all counted.
  virtual Result<std::optional<CounterBackfill>> budget_backfill() { return std::nullopt; }
  // Successful rows with timestamp in [from_ms, to_ms), summed per bucket of width_ms.
  virtual Result<std::vector<UsageGroup>> usage_groups(int64_t from_ms, int64_t to_ms, int64_t width_ms) {
    (void)from_ms, (void)to_ms, (void)width_ms;
    return fail(ErrorCode::internal_error, "this store cannot group usage");
  }

  // ---- Usage analytics: rollups and the routing history ----
  // Calls `visit` for every usage row with timestamp >= since_ms, oldest first, reading only
  // what a UsageSample holds (never traces): how the routing history loads its window. The
  // default (test fakes) goes through usage_since.
  virtual Result<void> scan_usage_samples(int64_t since_ms,
                                          const std::function<void(const UsageSample&)>& visit) {
    auto rows = usage_since(since_ms);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows)
      visit(UsageSample{r.timestamp_ms, r.latency_ms, r.model_id, r.project_id, r.outcome});
    return {};
  }
  // True when query_usage answers its aggregates from the rollups; false while stored rows are
  // still being summed into them after an upgrade (the aggregates then come from the rows, so
  // they are exact either way, only slower).
  virtual bool usage_rollups_ready() const { return false; }
  // ---- end of usage analytics ----

  // Stored Responses API objects (SPEC §00 P14), kept until expires_ms.
  virtual Result<void> put_response(std::string_view id, std::string_view project_id,
                                    const boost::json::object& doc, int64_t expires_ms) = 0;
  virtual Result<std::optional<boost::json::object>> get_response(std::string_view id,
                                                                  std::string_view project_id,
                                                                  int64_t now_ms) = 0;
  // The unexpired response `id` whichever project holds it; `doc` is nullopt once deleted.
  // The default (test fakes) refuses.
  virtual Result<std::optional<StoredResponse>> find_response(std::string_view id, int64_t now_ms) {
    (void)id, (void)now_ms;
    return fail(ErrorCode::internal_error, "this store cannot look up responses");
  }
  // Deletes the project's stored response: its document goes at once, its id stays known
  // (find_response says deleted, get_response nothing) until it expires. false when the
  // project held no live response by that id. The default (test fakes) refuses.
  virtual Result<bool> delete_response(std::string_view id, std::string_view project_id, int64_t now_ms) {
    (void)id, (void)project_id, (void)now_ms;
    return fail(ErrorCode::internal_error, "this store cannot delete responses");
  }

  // Health probe: a cheap write that proves the store accepts writes.
  virtual Result<void> check_writable() = 0;

  // Commit durability (settings.usageDurability "sync"). On: a commit returns only once it
  // survives a power loss or an OS crash. Off (the default): it survives a crash of the
  // process, and reaches the disk shortly after. The default suits stores whose commits are
  // always durable.
  virtual Result<void> set_sync_commits(bool on) {
    (void)on;
    return {};
  }
};

// Opens (creating with mode 0600 when absent) the SQLite database, enables WAL and applies
// pending numbered migrations.
Result<std::unique_ptr<Store>> open_sqlite(const std::filesystem::path& db_path);

// The store a deployment chose: PostgreSQL when `database_url` is a postgres:// or
// postgresql:// URL (a pool of connections, migrated at open), the SQLite database at
// `sqlite_path` when the URL is empty. Any other URL is an error. Errors never show the URL's
// password.
Result<std::unique_ptr<Store>> open_store(std::string_view database_url,
                                          const std::filesystem::path& sqlite_path);

}  // namespace routerly::store
