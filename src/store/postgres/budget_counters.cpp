// Durable budget counters: additive upserts into one-second buckets, compaction by age, and
// the history the counters do not hold yet. Several instances write the same rows: every
// write adds (never read-modify-write), in key order, and compaction moves exactly the rows it
// deletes, so concurrent writers and compactions neither lose nor double a charge.
#include <map>
#include <utility>

#include "store/postgres/postgres_store.hpp"

namespace routerly::store::postgres {

namespace {

// Rows per INSERT statement (six values each).
constexpr std::size_t kAddChunk = 200;

std::string add_sql(std::size_t rows) {
  return "INSERT INTO budget_counters (scope, bucket_ms, calls, input_tokens, output_tokens, cost) VALUES " +
         placeholder_rows(rows, 6) +
         " ON CONFLICT (scope, bucket_ms) DO UPDATE SET calls = budget_counters.calls + EXCLUDED.calls,"
         " input_tokens = budget_counters.input_tokens + EXCLUDED.input_tokens,"
         " output_tokens = budget_counters.output_tokens + EXCLUDED.output_tokens,"
         " cost = budget_counters.cost + EXCLUDED.cost";
}

// Moves every bucket older than `before_ms` that is not on a `width` boundary into the bucket of
// that boundary: what the DELETE returns is exactly what the INSERT adds.
Result<void> merge_into(Connection& conn, int64_t before_ms, int64_t width) {
  Params p;
  p.add(before_ms).add(width);
  return conn.command(
      "WITH moved AS (DELETE FROM budget_counters WHERE bucket_ms < $1 AND bucket_ms % $2 <> 0"
      " RETURNING scope, bucket_ms, calls, input_tokens, output_tokens, cost)"
      " INSERT INTO budget_counters (scope, bucket_ms, calls, input_tokens, output_tokens, cost)"
      " SELECT scope, bucket_ms - bucket_ms % $2, SUM(calls), SUM(input_tokens), SUM(output_tokens), "
      "SUM(cost)"
      " FROM moved GROUP BY 1, 2 ORDER BY 1, 2"
      " ON CONFLICT (scope, bucket_ms) DO UPDATE SET calls = budget_counters.calls + EXCLUDED.calls,"
      " input_tokens = budget_counters.input_tokens + EXCLUDED.input_tokens,"
      " output_tokens = budget_counters.output_tokens + EXCLUDED.output_tokens,"
      " cost = budget_counters.cost + EXCLUDED.cost",
      p);
}

}  // namespace

Result<void> PostgresStore::add_budget_counters(const std::vector<CounterDelta>& deltas,
                                                std::optional<int64_t> backfilled_until) {
  // One row per (scope, second): a statement may not upsert the same row twice.
  std::map<std::pair<std::string, int64_t>, CounterDelta> merged;
  for (const CounterDelta& d : deltas) {
    CounterDelta& m = merged[{d.scope, counter_bucket(d.at_ms, kCounterSecondMs)}];
    m.calls += d.calls;
    m.input_tokens += d.input_tokens;
    m.output_tokens += d.output_tokens;
    m.cost += d.cost;
  }
  return pool_->run([&](Connection& conn) -> Result<void> {
    auto tx = Transaction::begin(conn);
    if (!tx) return std::unexpected(tx.error());
    auto it = merged.begin();
    while (it != merged.end()) {
      Params p;
      std::size_t n = 0;
      for (; it != merged.end() && n < kAddChunk; ++it, ++n) {
        const auto& [key, d] = *it;
        p.add(key.first)
            .add(key.second)
            .add(d.calls)
            .add(d.input_tokens)
            .add(d.output_tokens)
            .add_real(d.cost);
      }
      if (auto ok = conn.command_rows(add_sql(n), p, n, kAddChunk); !ok) return ok;
    }
    if (backfilled_until) {
      Params progress;
      progress.add(*backfilled_until);
      if (auto ok = conn.command("UPDATE budget_backfill SET next_ms = $1", progress); !ok) return ok;
      if (auto ok = conn.command("DELETE FROM budget_backfill WHERE next_ms >= until_ms"); !ok) return ok;
    }
    return tx->commit();
  });
}

Result<std::vector<CounterDelta>> PostgresStore::load_budget_counters(int64_t since_ms) {
  Params p;
  p.add(counter_bucket(since_ms, kCounterHourMs));
  return pool_->run([&](Connection& conn) -> Result<std::vector<CounterDelta>> {
    auto rows = conn.prepared(
        "SELECT scope, bucket_ms, calls, input_tokens, output_tokens, cost FROM budget_counters WHERE "
        "bucket_ms >= $1",
        p);
    if (!rows) return std::unexpected(rows.error());
    std::vector<CounterDelta> out;
    for (int i = 0; i < rows->size(); ++i)
      out.push_back(CounterDelta{std::string(rows->text(i, 0)), rows->integer(i, 1), rows->integer(i, 2),
                                 rows->integer(i, 3), rows->integer(i, 4), rows->real(i, 5)});
    return out;
  });
}

Result<void> PostgresStore::compact_budget_counters(int64_t now_ms, int64_t drop_before_ms) {
  return pool_->run([&](Connection& conn) -> Result<void> {
    auto tx = Transaction::begin(conn);
    if (!tx) return std::unexpected(tx.error());
    if (auto ok = merge_into(conn, counter_bucket(now_ms - kCounterSecondsKeptMs, kCounterMinuteMs),
                             kCounterMinuteMs);
        !ok)
      return ok;
    if (auto ok =
            merge_into(conn, counter_bucket(now_ms - kCounterMinutesKeptMs, kCounterHourMs), kCounterHourMs);
        !ok)
      return ok;
    Params drop;
    drop.add(counter_bucket(drop_before_ms, kCounterHourMs));
    if (auto ok = conn.command("DELETE FROM budget_counters WHERE bucket_ms < $1", drop); !ok) return ok;
    return tx->commit();
  });
}

Result<std::optional<CounterBackfill>> PostgresStore::budget_backfill() {
  return pool_->run([&](Connection& conn) -> Result<std::optional<CounterBackfill>> {
    auto rows = conn.prepared("SELECT next_ms, until_ms FROM budget_backfill");
    if (!rows) return std::unexpected(rows.error());
    if (rows->size() == 0) return std::optional<CounterBackfill>();
    return std::optional(CounterBackfill{rows->integer(0, 0), rows->integer(0, 1)});
  });
}

Result<std::vector<UsageGroup>> PostgresStore::usage_groups(int64_t from_ms, int64_t to_ms,
                                                            int64_t width_ms) {
  Params p;
  p.add(from_ms).add(to_ms).add(width_ms);
  return pool_->run([&](Connection& conn) -> Result<std::vector<UsageGroup>> {
    auto rows = conn.prepared(
        "SELECT project_id, token_id, model_id, timestamp_ms - timestamp_ms % $3, COUNT(*), "
        "SUM(input_tokens),"
        " SUM(output_tokens), SUM(cost) FROM usage WHERE timestamp_ms >= $1 AND timestamp_ms < $2"
        " AND outcome = 'success' GROUP BY 1, 2, 3, 4",
        p);
    if (!rows) return std::unexpected(rows.error());
    std::vector<UsageGroup> out;
    for (int i = 0; i < rows->size(); ++i)
      out.push_back(UsageGroup{std::string(rows->text(i, 0)), std::string(rows->text(i, 1)),
                               std::string(rows->text(i, 2)), rows->integer(i, 3), rows->integer(i, 4),
                               rows->integer(i, 5), rows->integer(i, 6), rows->real(i, 7)});
    return out;
  });
}

}  // namespace routerly::store::postgres
