#include "store/sqlite/usage_rollup.hpp"

#include <algorithm>

#include "store/sqlite/statement.hpp"

namespace routerly::store::sqlite {

namespace {

constexpr std::string_view kUpsert =
    "INSERT INTO usage_rollup (grain, bucket_ms, project_id, model_id, call_type, outcome, token_id, type,"
    " calls, input_tokens, output_tokens, cached_input_tokens, cost, latency_sum_ms, latency_hist)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    " ON CONFLICT (grain, bucket_ms, project_id, model_id, call_type, outcome, token_id, type) DO UPDATE SET"
    " calls = calls + excluded.calls, input_tokens = input_tokens + excluded.input_tokens,"
    " output_tokens = output_tokens + excluded.output_tokens,"
    " cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens, cost = cost + excluded.cost,"
    " latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms,"
    " latency_hist = rollup_hist_merge(latency_hist, excluded.latency_hist, ?16)";

constexpr std::string_view kDeleteEmpty =
    "DELETE FROM usage_rollup WHERE grain = ?1 AND bucket_ms = ?2 AND project_id = ?3 AND model_id = ?4"
    " AND call_type = ?5 AND outcome = ?6 AND token_id = ?7 AND type = ?8 AND calls <= 0";

void bind_key(Statement& stmt, const RollupKey& k) {
  stmt.bind(1, int64_t{k.grain})
      .bind(2, k.bucket_ms)
      .bind(3, k.project_id)
      .bind(4, k.model_id)
      .bind(5, k.call_type)
      .bind(6, k.outcome)
      .bind(7, k.token_id)
      .bind(8, k.type);
}

void hist_merge(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto bytes = [&](int i) {
    const void* data = sqlite3_value_blob(argv[i]);
    const int size = sqlite3_value_bytes(argv[i]);
    return data == nullptr ? std::string_view()
                           : std::string_view(static_cast<const char*>(data), static_cast<std::size_t>(size));
  };
  const int sign = argc > 2 && sqlite3_value_int(argv[2]) < 0 ? -1 : 1;
  LatencyHistogram sum = LatencyHistogram::decode(bytes(0));
  sum.merge(LatencyHistogram::decode(bytes(1)), sign);
  const std::string out = sum.encode();
  sqlite3_result_blob64(ctx, out.data(), out.size(), SQLITE_TRANSIENT);
}

}  // namespace

UsageRow read_rollup_source(const Statement& stmt, int64_t& rowid) {
  rowid = stmt.integer(0);
  return read_rollup_source_columns(stmt, 1);
}

Result<void> apply_delta(sqlite3* db, const RollupDelta& delta, int sign) {
  if (delta.empty()) return {};
  auto upsert = Statement::prepare(db, kUpsert);
  if (!upsert) return std::unexpected(upsert.error());
  std::optional<Statement> remove;
  if (sign < 0) {
    auto prepared = Statement::prepare(db, kDeleteEmpty);
    if (!prepared) return std::unexpected(prepared.error());
    remove.emplace(std::move(*prepared));
  }
  for (const auto& [key, s] : delta) {
    upsert->reset();
    bind_key(*upsert, key);
    upsert->bind(9, sign * s.calls)
        .bind(10, sign * s.input_tokens)
        .bind(11, sign * s.output_tokens)
        .bind(12, sign * s.cached_input_tokens)
        .bind_real(13, sign * s.cost)
        .bind(14, sign * s.latency_sum_ms)
        .bind_blob(15, s.latency.encode())  // subtracted by rollup_hist_merge when sign < 0
        .bind(16, int64_t{sign});
    if (auto ok = upsert->run(); !ok) return ok;
    if (remove) {
      remove->reset();
      bind_key(*remove, key);
      if (auto ok = remove->run(); !ok) return ok;
    }
  }
  return {};
}

Result<void> register_rollup_functions(sqlite3* db) {
  if (sqlite3_create_function_v2(db, "rollup_hist_merge", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                 hist_merge, nullptr, nullptr, nullptr) != SQLITE_OK)
    return std::unexpected(db_error(db, "registering rollup_hist_merge"));
  return {};
}

}  // namespace routerly::store::sqlite
