// The rollup backfill after an upgrade: rows stored before the rollup table existed are summed
// into it by a background thread, oldest rowid first, kBackfill rows per write transaction,
// the progress kept in usage_rollup_backfill so that a restart resumes where it stopped. It
// starts SqliteOptions::backfill_delay after the store opens and then pauses after each batch
// for as long as the batch took, so that it holds the writer connection at most half of the
// time: usage inserts and the health probe wait for one batch at most. Until the last batch
// commits, query_usage reads its aggregates from the rows.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/usage_rollup.hpp"

namespace routerly::store::sqlite {

namespace {
constexpr auto kProgressEvery = std::chrono::seconds(5);
constexpr auto kRetryAfterFailure = std::chrono::seconds(5);
constexpr auto kMinPause = std::chrono::milliseconds(2);
}  // namespace

Result<SqliteStore::BackfillState> SqliteStore::read_backfill_state(sqlite3* db) {
  auto stmt =
      Statement::prepare(db, "SELECT next_rowid, last_rowid FROM usage_rollup_backfill WHERE singleton = 1");
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return BackfillState{1, 0};  // nothing recorded: nothing to add
  return BackfillState{stmt->integer(0), stmt->integer(1)};
}

Result<bool> SqliteStore::backfill_batch() {
  std::lock_guard lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  auto state = read_backfill_state(db_);
  if (!state) return std::unexpected(state.error());
  if (state->done()) return true;
  auto rows =
      Statement::prepare(db_, "SELECT " + kRowidAndRollupSource +
                                  " FROM usage WHERE rowid >= ?1 AND rowid <= ?2 ORDER BY rowid LIMIT ?3");
  if (!rows) return std::unexpected(rows.error());
  rows->bind(1, state->next_rowid).bind(2, state->last_rowid).bind(3, options_.backfill_batch);
  RollupDelta delta;
  int64_t count = 0, rowid = 0, next = state->last_rowid + 1;
  for (;;) {
    auto more = rows->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    add_to_delta(delta, read_rollup_source(*rows, rowid));
    next = rowid + 1;
    ++count;
  }
  if (count < options_.backfill_batch) next = state->last_rowid + 1;  // the range is exhausted
  if (auto ok = apply_delta(db_, delta, 1); !ok) return std::unexpected(ok.error());
  auto progress =
      Statement::prepare(db_, "UPDATE usage_rollup_backfill SET next_rowid = ?1 WHERE singleton = 1");
  if (!progress) return std::unexpected(progress.error());
  progress->bind(1, next);
  if (auto ok = progress->run(); !ok) return std::unexpected(ok.error());
  if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
  return next > state->last_rowid;
}

void SqliteStore::run_backfill() {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  auto last_report = started;
  int64_t first = 0, last = 0;
  {
    std::lock_guard lock(mutex_);
    if (auto state = read_backfill_state(db_)) first = state->next_rowid, last = state->last_rowid;
  }
  spdlog::info(
      "usage rollups: summing the stored usage rows (rowids {} to {}) in the background; until this "
      "finishes, usage aggregates are computed from the rows (exact, slower)",
      first, last);
  for (auto until = Clock::now() + options_.backfill_delay; !stopping_ && Clock::now() < until;)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  while (!stopping_) {
    const auto batch_started = Clock::now();
    auto done = backfill_batch();
    if (!done) {
      spdlog::error("usage rollups: backfill batch failed, retrying: {}", done.error().message);
      for (auto until = Clock::now() + kRetryAfterFailure; !stopping_ && Clock::now() < until;)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    if (*done) {
      {
        std::lock_guard lock(backfill_mutex_);
        rollups_ready_ = true;
      }
      backfill_done_.notify_all();
      const auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
      spdlog::info("usage rollups: backfill finished in {:.1f} s; usage aggregates now come from the rollups",
                   seconds);
      return;
    }
    if (Clock::now() - last_report >= kProgressEvery) {
      last_report = Clock::now();
      std::lock_guard lock(mutex_);
      if (auto state = read_backfill_state(db_); state && last >= first) {
        const double share =
            static_cast<double>(state->next_rowid - first) / static_cast<double>(last - first + 1);
        spdlog::info("usage rollups: backfill {:.0f}% done (next rowid {} of {})", share * 100,
                     state->next_rowid, last);
      }
    }
    // As long as the batch took: queued writers take the connection, the backfill at most half.
    std::this_thread::sleep_for(std::max<Clock::duration>(kMinPause, Clock::now() - batch_started));
  }
}

bool SqliteStore::wait_for_rollups(std::chrono::milliseconds timeout) {
  std::unique_lock lock(backfill_mutex_);
  return backfill_done_.wait_for(lock, timeout, [this] { return rollups_ready_.load(); });
}

}  // namespace routerly::store::sqlite
