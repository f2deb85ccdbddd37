// Usage retention (issue 5): rows older than the cut-off are deleted in batches of
// kPurgeBatch, each its own short transaction, and the store mutex is released between
// batches so that inserts and queries interleave with a long purge.
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace routerly::store::sqlite {

namespace {
constexpr int64_t kPurgeBatch = 5000;
}  // namespace

Result<int64_t> SqliteStore::purge_usage_before(int64_t before_ms) {
  int64_t deleted = 0;
  for (;;) {
    int changed = 0;
    {
      std::lock_guard lock(mutex_);
      // The oldest rows first via the time index; rowid lookup keeps each batch cheap.
      auto stmt = Statement::prepare(db_,
                                     "DELETE FROM usage WHERE rowid IN (SELECT rowid FROM usage"
                                     " WHERE timestamp_ms < ?1 ORDER BY timestamp_ms LIMIT ?2)");
      if (!stmt) return std::unexpected(stmt.error());
      stmt->bind(1, before_ms).bind(2, kPurgeBatch);
      auto done = stmt->step();
      if (!done) return std::unexpected(done.error());
      changed = sqlite3_changes(db_);
    }
    deleted += changed;
    if (changed < kPurgeBatch) return deleted;
  }
}

}  // namespace routerly::store::sqlite
