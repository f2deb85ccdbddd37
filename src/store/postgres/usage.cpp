// Usage records: batched multi-row inserts (with their rollup sums, in the same transaction)
// and the single-record / per-trace / since reads. The filtered query with its aggregates lives
// in usage_query.cpp.
#include <boost/json/serialize.hpp>

#include "store/postgres/postgres_store.hpp"
#include "store/postgres/usage_rollup.hpp"
#include "store/usage_columns.hpp"

namespace routerly::store::postgres {

namespace {

constexpr std::size_t kInsertColumns = 26;
constexpr std::size_t kInsertChunk = 200;  // rows per INSERT statement

std::string insert_sql(std::size_t rows) {
  return "INSERT INTO usage (" + std::string(kUsageColumns) + ", trace) VALUES " +
         placeholder_rows(rows, kInsertColumns);
}

// In kUsageColumns order, then the trace.
void add_row(Params& p, const UsageRow& r) {
  p.add(r.id).add(r.timestamp_ms).add(r.project_id).add(r.project_slug).add(r.token_id).add(r.model_id);
  p.add(r.provider).add(r.type).add(r.call_type).add(r.input_tokens).add(r.output_tokens);
  p.add(r.cached_input_tokens).add(r.cache_creation_input_tokens).add_bool(r.tokens_estimated);
  p.add_real(r.cost)
      .add_real(r.cost_input)
      .add_real(r.cost_output)
      .add_real(r.price_input)
      .add_real(r.price_output);
  p.add(r.latency_ms);
  if (r.ttft_ms) {
    p.add(*r.ttft_ms);
  } else {
    p.add_null();
  }
  p.add_bool(r.stream)
      .add(r.outcome)
      .add(r.error_message)
      .add(r.trace_id)
      .add(boost::json::serialize(r.trace));
}

std::vector<UsageRow> read_all(const Rows& rows, bool with_trace) {
  std::vector<UsageRow> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(read_usage_columns(Row(rows, i), with_trace));
  return out;
}

}  // namespace

Result<void> PostgresStore::insert_usage(const std::vector<UsageRow>& rows) {
  if (rows.empty()) return {};
  RollupDelta delta;  // summed before taking a connection
  for (const UsageRow& row : rows) add_to_delta(delta, row);
  return pool_->run([&](Connection& conn) -> Result<void> {
    auto tx = Transaction::begin(conn);
    if (!tx) return std::unexpected(tx.error());
    for (std::size_t first = 0; first < rows.size(); first += kInsertChunk) {
      const std::size_t n = std::min(kInsertChunk, rows.size() - first);
      Params p;
      for (std::size_t i = first; i < first + n; ++i) add_row(p, rows[i]);
      if (auto ok = conn.command_rows(insert_sql(n), p, n, kInsertChunk); !ok)
        return ok;  // the transaction rolls the batch back
    }
    if (auto ok = apply_delta(conn, delta, 1); !ok) return ok;
    return tx->commit();
  });
}

Result<std::optional<UsageRow>> PostgresStore::get_usage(std::string_view id) {
  Params p;
  p.add(id);
  return pool_->run([&](Connection& conn) -> Result<std::optional<UsageRow>> {
    auto rows = conn.prepared("SELECT " + std::string(kUsageColumns) + ", trace FROM usage WHERE id = $1", p);
    if (!rows) return std::unexpected(rows.error());
    if (rows->size() == 0) return std::optional<UsageRow>{};
    return read_usage_columns(Row(*rows, 0), true);
  });
}

Result<std::vector<UsageRow>> PostgresStore::usage_by_trace(std::string_view trace_id) {
  if (trace_id.empty()) return std::vector<UsageRow>{};  // rows without a trace share nothing
  Params p;
  p.add(trace_id);
  return pool_->run([&](Connection& conn) -> Result<std::vector<UsageRow>> {
    auto rows = conn.prepared("SELECT " + std::string(kUsageColumns) +
                                  ", trace FROM usage WHERE trace_id = $1 ORDER BY timestamp_ms, seq",
                              p);
    if (!rows) return std::unexpected(rows.error());
    return read_all(*rows, true);
  });
}

Result<std::vector<UsageRow>> PostgresStore::usage_since(int64_t since_ms) {
  Params p;
  p.add(since_ms);
  return pool_->run([&](Connection& conn) -> Result<std::vector<UsageRow>> {
    std::vector<UsageRow> out;
    auto ok =
        conn.for_each_row("SELECT " + std::string(kUsageColumns) +
                              " FROM usage WHERE timestamp_ms >= $1 ORDER BY timestamp_ms, seq",
                          p, [&](const Rows& row) { out.push_back(read_usage_columns(Row(row, 0), false)); });
    if (!ok) return std::unexpected(ok.error());
    return out;
  });
}

Result<void> PostgresStore::scan_usage_samples(int64_t since_ms,
                                               const std::function<void(const UsageSample&)>& visit) {
  Params p;
  p.add(since_ms);
  return pool_->run([&](Connection& conn) {
    return conn.for_each_row(
        "SELECT timestamp_ms, latency_ms, model_id, project_id, outcome FROM usage WHERE timestamp_ms >= $1"
        " ORDER BY timestamp_ms",
        p, [&](const Rows& row) {
          visit(UsageSample{row.integer(0, 0), row.integer(0, 1), row.text(0, 2), row.text(0, 3),
                            row.text(0, 4)});
        });
  });
}

}  // namespace routerly::store::postgres
