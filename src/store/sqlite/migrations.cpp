#include "store/sqlite/migrations.hpp"

#include <array>
#include <chrono>
#include <string>

#include "store/sqlite/statement.hpp"

namespace routerly::store::sqlite {

namespace {

// Version 1: configuration documents, settings, sessions with their refresh tokens, and the
// health probe row.
constexpr std::string_view kV1Config = R"sql(
CREATE TABLE documents (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (collection, id)
);
CREATE INDEX documents_by_position ON documents (collection, position);

CREATE TABLE settings (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  doc TEXT NOT NULL
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  last_used_ms INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  superseded INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TABLE health (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  checked_ms INTEGER NOT NULL
);
)sql";

// Version 2: usage records (SPEC §4.6 + P18; one column per UsageRow field, the trace as
// JSON text) and stored Responses API objects (P14). The indexes serve the P18 filters:
// every selective filter has a (column, timestamp) index so that a filtered, time-bounded,
// newest-first page is an index range walk; rowid follows insertion (≈ time) order. The time
// and project indexes also carry every column the aggregates read, so summaries over a time
// range or a project never touch the (trace-heavy) table rows.
constexpr std::string_view kV2Usage = R"sql(
CREATE TABLE usage (
  id TEXT PRIMARY KEY,
  timestamp_ms INTEGER NOT NULL,
  project_id TEXT NOT NULL,
  project_slug TEXT NOT NULL,
  token_id TEXT NOT NULL,
  model_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  type TEXT NOT NULL,
  call_type TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cache_creation_input_tokens INTEGER NOT NULL,
  tokens_estimated INTEGER NOT NULL,
  cost REAL NOT NULL,
  cost_input REAL NOT NULL,
  cost_output REAL NOT NULL,
  price_input REAL NOT NULL,
  price_output REAL NOT NULL,
  latency_ms INTEGER NOT NULL,
  ttft_ms INTEGER,
  stream INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  error_message TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  trace TEXT NOT NULL
);
CREATE INDEX usage_by_time ON usage (timestamp_ms, model_id, outcome, call_type, cost, latency_ms,
  input_tokens, output_tokens, cached_input_tokens);
CREATE INDEX usage_by_project ON usage (project_id, timestamp_ms, model_id, outcome, call_type, cost,
  latency_ms, input_tokens, output_tokens, cached_input_tokens);
CREATE INDEX usage_by_model ON usage (model_id, timestamp_ms);
CREATE INDEX usage_by_token ON usage (token_id, timestamp_ms);
CREATE INDEX usage_by_trace ON usage (trace_id);

CREATE TABLE responses (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  expires_ms INTEGER NOT NULL
);
CREATE INDEX responses_by_expiry ON responses (expires_ms);
)sql";

// Version 3: durable budget counters, one row per (scope, bucket) of what was charged against
// budgets (one-second buckets, merged into minutes and hours as they age), and how much of an
// older installation's usage history is still to be counted into them: the rows written
// before this migration, counted in the background after start.
constexpr std::string_view kV3BudgetCounters = R"sql(
CREATE TABLE budget_counters (
  scope TEXT NOT NULL,
  bucket_ms INTEGER NOT NULL,
  calls INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, bucket_ms)
) WITHOUT ROWID;
CREATE INDEX budget_counters_by_time ON budget_counters (bucket_ms);

CREATE TABLE budget_backfill (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  next_ms INTEGER NOT NULL,
  until_ms INTEGER NOT NULL
);
INSERT INTO budget_backfill (singleton, next_ms, until_ms)
  SELECT 1, MIN(timestamp_ms), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  FROM usage HAVING COUNT(*) > 0;
)sql";

// Version 4: usage rollups (usage_rollup.hpp): the usage sums per hour and per UTC day, keyed
// by every filter column, so that aggregates over any window read a few thousand rollup rows
// instead of every usage row. Rows already stored are summed in afterwards, in batches and in
// the background (usage_backfill.cpp): usage_rollup_backfill records the rowids still to add,
// from next_rowid through last_rowid (the newest row when this migration ran; every later row
// is summed by its own insert). Until next_rowid passes last_rowid, aggregates are read from
// the usage rows.
constexpr std::string_view kV4UsageRollup = R"sql(
CREATE TABLE usage_rollup (
  grain INTEGER NOT NULL,
  bucket_ms INTEGER NOT NULL,
  project_id TEXT NOT NULL,
  model_id TEXT NOT NULL,
  call_type TEXT NOT NULL,
  outcome TEXT NOT NULL,
  token_id TEXT NOT NULL,
  type TEXT NOT NULL,
  calls INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cost REAL NOT NULL,
  latency_sum_ms INTEGER NOT NULL,
  latency_hist BLOB NOT NULL,
  PRIMARY KEY (grain, bucket_ms, project_id, model_id, call_type, outcome, token_id, type)
) WITHOUT ROWID;
CREATE INDEX usage_rollup_by_token ON usage_rollup (token_id, grain, bucket_ms);

CREATE TABLE usage_rollup_backfill (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  next_rowid INTEGER NOT NULL,
  last_rowid INTEGER NOT NULL
);
INSERT INTO usage_rollup_backfill (singleton, next_rowid, last_rowid)
  SELECT 1, COALESCE(MIN(rowid), 1), COALESCE(MAX(rowid), 0) FROM usage;
)sql";

// Listed in version order. Versions are applied by presence, not by the highest one, so
// migrations written on parallel branches (3 and 4) apply whichever was recorded first.
constexpr std::array kMigrations{
    Migration{1, kV1Config},
    Migration{2, kV2Usage},
    Migration{3, kV3BudgetCounters},
    Migration{4, kV4UsageRollup},
};

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Result<int> current_version(sqlite3* db) {
  auto stmt = Statement::prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  return static_cast<int>(stmt->integer(0));
}

Result<bool> is_applied(sqlite3* db, int version) {
  auto stmt = Statement::prepare(db, "SELECT 1 FROM schema_migrations WHERE version = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, int64_t{version});
  return stmt->step();
}

Result<void> apply(sqlite3* db, const Migration& migration) {
  auto tx = Transaction::begin(db);
  if (!tx) return std::unexpected(tx.error());
  // Re-check inside the write lock: another process may have migrated meanwhile.
  auto applied = is_applied(db, migration.version);
  if (!applied) return std::unexpected(applied.error());
  if (*applied) return {};
  if (auto ok = exec(db, migration.sql); !ok) {
    return fail(ErrorCode::internal_error,
                "migration " + std::to_string(migration.version) + " failed: " + ok.error().message);
  }
  auto record = Statement::prepare(db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)");
  if (!record) return std::unexpected(record.error());
  record->bind(1, int64_t{migration.version}).bind(2, now_ms());
  if (auto ok = record->run(); !ok) return ok;
  return tx->commit();
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

Result<void> migrate(sqlite3* db) {
  if (auto ok = exec(db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
      !ok) {
    return ok;
  }
  auto version = current_version(db);
  if (!version) return std::unexpected(version.error());
  const int known = kMigrations.back().version;
  if (*version > known) {
    return fail(ErrorCode::internal_error, "database schema version " + std::to_string(*version) +
                                               " is newer than this binary supports (" +
                                               std::to_string(known) + "); upgrade routerly");
  }
  for (const Migration& migration : kMigrations) {
    if (auto ok = apply(db, migration); !ok) return ok;
  }
  return {};
}

}  // namespace routerly::store::sqlite
