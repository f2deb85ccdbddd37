// Usage records: batched inserts (with their rollup sums, in the same transaction) and the
// single-record / per-trace / since reads, which run on read connections.
// The filtered query with its aggregates lives in usage_query.cpp.
#include <boost/json/serialize.hpp>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/usage_columns.hpp"
#include "store/sqlite/usage_rollup.hpp"

namespace routerly::store::sqlite {

namespace {

constexpr std::string_view kInsertUsage =
    "INSERT INTO usage (id, timestamp_ms, project_id, project_slug, token_id, model_id, provider, type, "
    "call_type, input_tokens, output_tokens, cached_input_tokens, cache_creation_input_tokens, "
    "tokens_estimated, cost, cost_input, cost_output, price_input, price_output, latency_ms, ttft_ms, "
    "stream, outcome, error_message, trace_id, trace) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
    "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)";

void bind_row(Statement& stmt, const UsageRow& r) {
  stmt.bind(1, r.id)
      .bind(2, r.timestamp_ms)
      .bind(3, r.project_id)
      .bind(4, r.project_slug)
      .bind(5, r.token_id)
      .bind(6, r.model_id)
      .bind(7, r.provider)
      .bind(8, r.type)
      .bind(9, r.call_type)
      .bind(10, r.input_tokens)
      .bind(11, r.output_tokens)
      .bind(12, r.cached_input_tokens)
      .bind(13, r.cache_creation_input_tokens)
      .bind(14, int64_t{r.tokens_estimated ? 1 : 0})
      .bind_real(15, r.cost)
      .bind_real(16, r.cost_input)
      .bind_real(17, r.cost_output)
      .bind_real(18, r.price_input)
      .bind_real(19, r.price_output)
      .bind(20, r.latency_ms)
      .bind(22, int64_t{r.stream ? 1 : 0})
      .bind(23, r.outcome)
      .bind(24, r.error_message)
      .bind(25, r.trace_id)
      .bind(26, boost::json::serialize(r.trace));
  if (r.ttft_ms) {
    stmt.bind(21, *r.ttft_ms);
  } else {
    stmt.bind_null(21);
  }
}

Result<std::vector<UsageRow>> read_all(Statement& stmt, bool with_trace) {
  std::vector<UsageRow> rows;
  for (;;) {
    auto more = stmt.step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return rows;
    rows.push_back(read_usage_row(stmt, with_trace));
  }
}

}  // namespace

UsageRow read_usage_row(const Statement& row, bool with_trace) {
  return read_usage_columns(row, with_trace);
}

Result<void> SqliteStore::insert_usage(const std::vector<UsageRow>& rows) {
  if (rows.empty()) return {};
  RollupDelta delta;  // summed before taking the writer
  for (const UsageRow& row : rows) add_to_delta(delta, row);
  std::lock_guard lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  auto stmt = Statement::prepare(db_, kInsertUsage);
  if (!stmt) return std::unexpected(stmt.error());
  for (const UsageRow& row : rows) {
    stmt->reset();
    bind_row(*stmt, row);
    if (auto ok = stmt->run(); !ok) return ok;  // the transaction rolls the batch back
  }
  if (auto ok = apply_delta(db_, delta, 1); !ok) return ok;
  return tx->commit();
}

Result<std::optional<UsageRow>> SqliteStore::get_usage(std::string_view id) {
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = Statement::prepare(reader->get(),
                                 "SELECT " + std::string(kUsageColumns) + ", trace FROM usage WHERE id = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, id);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<UsageRow>{};
  return read_usage_row(*stmt, true);
}

Result<std::vector<UsageRow>> SqliteStore::usage_by_trace(std::string_view trace_id) {
  if (trace_id.empty()) return std::vector<UsageRow>{};  // rows without a trace share nothing
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = Statement::prepare(reader->get(),
                                 "SELECT " + std::string(kUsageColumns) +
                                     ", trace FROM usage WHERE trace_id = ?1 ORDER BY timestamp_ms, rowid");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, trace_id);
  return read_all(*stmt, true);
}

Result<std::vector<UsageRow>> SqliteStore::usage_since(int64_t since_ms) {
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = Statement::prepare(reader->get(),
                                 "SELECT " + std::string(kUsageColumns) +
                                     " FROM usage WHERE timestamp_ms >= ?1 ORDER BY timestamp_ms, rowid");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, since_ms);
  return read_all(*stmt, false);
}

// The time index bounds the walk to the window; model_id, outcome and latency_ms come from the
// index itself, project_id from the row (its first columns: the trace is never read).
Result<void> SqliteStore::scan_usage_samples(int64_t since_ms,
                                             const std::function<void(const UsageSample&)>& visit) {
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = Statement::prepare(reader->get(),
                                 "SELECT timestamp_ms, latency_ms, model_id, project_id, outcome FROM usage"
                                 " INDEXED BY usage_by_time WHERE timestamp_ms >= ?1 ORDER BY timestamp_ms");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, since_ms);
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    visit(UsageSample{stmt->integer(0), stmt->integer(1), stmt->text_view(2), stmt->text_view(3),
                      stmt->text_view(4)});
  }
}

}  // namespace routerly::store::sqlite
