// Usage retention: rows older than the cut-off are deleted in batches of kPurgeBatch, each its
// own short transaction that also subtracts the rows from the rollups. The DELETE returns what
// it removed, so the subtraction is exact even when another instance purges at the same time
// (a row is deleted, and subtracted, once).
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/usage_rollup.hpp"
#include "store/usage_columns.hpp"

namespace routerly::store::postgres {

namespace {
constexpr int64_t kPurgeBatch = 5000;
}  // namespace

Result<int64_t> PostgresStore::purge_usage_before(int64_t before_ms) {
  Params p;
  p.add(before_ms).add(kPurgeBatch);
  const std::string sql =
      "DELETE FROM usage WHERE id IN (SELECT id FROM usage WHERE timestamp_ms < $1 ORDER BY timestamp_ms"
      " LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING " +
      std::string(kRollupSourceColumns);
  int64_t deleted = 0;
  for (;;) {
    auto changed = pool_->run([&](Connection& conn) -> Result<int64_t> {
      auto tx = Transaction::begin(conn);
      if (!tx) return std::unexpected(tx.error());
      auto rows = conn.prepared(sql, p);
      if (!rows) return std::unexpected(rows.error());
      RollupDelta delta;
      for (int i = 0; i < rows->size(); ++i)
        add_to_delta(delta, read_rollup_source_columns(Row(*rows, i), 0));
      if (auto ok = apply_delta(conn, delta, -1); !ok) return std::unexpected(ok.error());
      if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
      return rows->size();
    });
    if (!changed) return std::unexpected(changed.error());
    deleted += *changed;
    if (*changed < kPurgeBatch) return deleted;
  }
}

}  // namespace routerly::store::postgres
