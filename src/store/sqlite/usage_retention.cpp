// Usage retention (issue 5): rows older than the cut-off are deleted in batches of
// kPurgeBatch, each its own short transaction that also subtracts the rows from the rollups,
// and the writer is released between batches so that inserts and queries interleave with a
// long purge. While an upgrade's backfill runs, rows it has not summed yet are deleted without
// subtracting, and the newest row it must reach is kept (so that no later insert can reuse
// its rowid inside the backfill's range).
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/usage_rollup.hpp"

namespace routerly::store::sqlite {

namespace {
constexpr int64_t kPurgeBatch = 5000;
}  // namespace

Result<int64_t> SqliteStore::purge_usage_before(int64_t before_ms) {
  int64_t deleted = 0;
  for (;;) {
    int64_t changed = 0;
    {
      std::lock_guard lock(mutex_);
      auto tx = Transaction::begin(db_);
      if (!tx) return std::unexpected(tx.error());
      auto state = read_backfill_state(db_);
      if (!state) return std::unexpected(state.error());
      const int64_t keep = state->done() ? 0 : state->last_rowid;
      // The oldest rows first via the time index.
      auto select = Statement::prepare(db_, "SELECT " + kRowidAndRollupSource +
                                                " FROM usage WHERE timestamp_ms < ?1 AND rowid <> ?2"
                                                " ORDER BY timestamp_ms LIMIT ?3");
      if (!select) return std::unexpected(select.error());
      select->bind(1, before_ms).bind(2, keep).bind(3, kPurgeBatch);
      auto remove = Statement::prepare(db_, "DELETE FROM usage WHERE rowid = ?1");
      if (!remove) return std::unexpected(remove.error());
      RollupDelta delta;
      for (;;) {
        auto more = select->step();
        if (!more) return std::unexpected(more.error());
        if (!*more) break;
        int64_t rowid = 0;
        UsageRow row = read_rollup_source(*select, rowid);
        if (state->summed(rowid)) add_to_delta(delta, row);
        remove->reset();
        remove->bind(1, rowid);
        if (auto ok = remove->run(); !ok) return std::unexpected(ok.error());
        ++changed;
      }
      if (auto ok = apply_delta(db_, delta, -1); !ok) return std::unexpected(ok.error());
      if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
    }
    deleted += changed;
    if (changed < kPurgeBatch) return deleted;
  }
}

}  // namespace routerly::store::sqlite
