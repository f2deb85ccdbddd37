// Durable budget counters: additive upserts into one-second buckets, compaction by age, and
// the backfill of an older installation's history.
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace routerly::store::sqlite {

namespace {

constexpr std::string_view kAdd =
    "INSERT INTO budget_counters (scope, bucket_ms, calls, input_tokens, output_tokens, cost)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (scope, bucket_ms) DO UPDATE SET"
    " calls = calls + excluded.calls, input_tokens = input_tokens + excluded.input_tokens,"
    " output_tokens = output_tokens + excluded.output_tokens, cost = cost + excluded.cost";

// Moves every bucket older than `before_ms` that is not on a `width` boundary into the bucket
// of that boundary (adding), in one statement pair.
Result<void> merge_into(sqlite3* db, int64_t before_ms, int64_t width) {
  auto merge = Statement::prepare(
      db,
      "INSERT INTO budget_counters (scope, bucket_ms, calls, input_tokens, output_tokens, cost)"
      " SELECT scope, bucket_ms - (bucket_ms % ?2), SUM(calls), SUM(input_tokens), SUM(output_tokens), "
      "SUM(cost)"
      " FROM budget_counters WHERE bucket_ms < ?1 AND bucket_ms % ?2 != 0 GROUP BY 1, 2 ORDER BY 1, 2"
      " ON CONFLICT (scope, bucket_ms) DO UPDATE SET calls = calls + excluded.calls,"
      " input_tokens = input_tokens + excluded.input_tokens,"
      " output_tokens = output_tokens + excluded.output_tokens, cost = cost + excluded.cost");
  if (!merge) return std::unexpected(merge.error());
  merge->bind(1, before_ms).bind(2, width);
  if (auto ok = merge->run(); !ok) return ok;
  auto drop =
      Statement::prepare(db, "DELETE FROM budget_counters WHERE bucket_ms < ?1 AND bucket_ms % ?2 != 0");
  if (!drop) return std::unexpected(drop.error());
  drop->bind(1, before_ms).bind(2, width);
  return drop->run();
}

}  // namespace

Result<void> SqliteStore::add_budget_counters(const std::vector<CounterDelta>& deltas,
                                              std::optional<int64_t> backfilled_until) {
  std::lock_guard lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  auto add = Statement::prepare(db_, kAdd);
  if (!add) return std::unexpected(add.error());
  for (const CounterDelta& d : deltas) {
    add->reset();
    add->bind(1, d.scope)
        .bind(2, counter_bucket(d.at_ms, kCounterSecondMs))
        .bind(3, d.calls)
        .bind(4, d.input_tokens)
        .bind(5, d.output_tokens)
        .bind_real(6, d.cost);
    if (auto ok = add->run(); !ok) return ok;
  }
  if (backfilled_until) {
    auto progress = Statement::prepare(db_, "UPDATE budget_backfill SET next_ms = ?1");
    if (!progress) return std::unexpected(progress.error());
    progress->bind(1, *backfilled_until);
    if (auto ok = progress->run(); !ok) return ok;
    if (auto ok = exec(db_, "DELETE FROM budget_backfill WHERE next_ms >= until_ms"); !ok) return ok;
  }
  return tx->commit();
}

Result<std::vector<CounterDelta>> SqliteStore::load_budget_counters(int64_t since_ms) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::prepare(db_,
                                 "SELECT scope, bucket_ms, calls, input_tokens, output_tokens, cost"
                                 " FROM budget_counters WHERE bucket_ms >= ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, counter_bucket(since_ms, kCounterHourMs));
  std::vector<CounterDelta> out;
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return out;
    out.push_back(CounterDelta{stmt->text(0), stmt->integer(1), stmt->integer(2), stmt->integer(3),
                               stmt->integer(4), stmt->real(5)});
  }
}

Result<void> SqliteStore::compact_budget_counters(int64_t now_ms, int64_t drop_before_ms) {
  std::lock_guard lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  if (auto ok =
          merge_into(db_, counter_bucket(now_ms - kCounterSecondsKeptMs, kCounterMinuteMs), kCounterMinuteMs);
      !ok)
    return ok;
  if (auto ok =
          merge_into(db_, counter_bucket(now_ms - kCounterMinutesKeptMs, kCounterHourMs), kCounterHourMs);
      !ok)
    return ok;
  auto drop = Statement::prepare(db_, "DELETE FROM budget_counters WHERE bucket_ms < ?1");
  if (!drop) return std::unexpected(drop.error());
  drop->bind(1, counter_bucket(drop_before_ms, kCounterHourMs));
  if (auto ok = drop->run(); !ok) return ok;
  return tx->commit();
}

Result<std::optional<CounterBackfill>> SqliteStore::budget_backfill() {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::prepare(db_, "SELECT next_ms, until_ms FROM budget_backfill");
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<CounterBackfill>();
  return std::optional(CounterBackfill{stmt->integer(0), stmt->integer(1)});
}

Result<std::vector<UsageGroup>> SqliteStore::usage_groups(int64_t from_ms, int64_t to_ms, int64_t width_ms) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::prepare(
      db_,
      "SELECT project_id, token_id, model_id, timestamp_ms - (timestamp_ms % ?3), COUNT(*), "
      "SUM(input_tokens),"
      " SUM(output_tokens), SUM(cost) FROM usage WHERE timestamp_ms >= ?1 AND timestamp_ms < ?2"
      " AND outcome = 'success' GROUP BY 1, 2, 3, 4");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, from_ms).bind(2, to_ms).bind(3, width_ms);
  std::vector<UsageGroup> out;
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return out;
    out.push_back(UsageGroup{stmt->text(0), stmt->text(1), stmt->text(2), stmt->integer(3), stmt->integer(4),
                             stmt->integer(5), stmt->integer(6), stmt->real(7)});
  }
}

}  // namespace routerly::store::sqlite
