// The filtered usage query on a read connection. Every filter is a bound
// SQL condition; the page is an index walk newest (or oldest) first, resumed after a keyset
// cursor or skipping an offset. The aggregates come from the rollups (usage_rollup.hpp): the
// window is cut into whole days, whole hours and the partial hours at its ends, which are
// summed from the rows through the time index. While an upgrade's backfill is still summing
// old rows into the rollups, every aggregate is summed from the rows instead.
#include <algorithm>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/usage_columns.hpp"
#include "store/sqlite/usage_rollup.hpp"
#include "store/usage_aggregate.hpp"
#include "store/usage_fold.hpp"
#include "store/usage_where.hpp"

namespace routerly::store::sqlite {

namespace {

// Binds the filter's values from index 1; returns the next free index.
int bind_where(Statement& stmt, const Where& where) {
  int index = 1;
  for (const auto& v : where.values) {
    if (const auto* text = std::get_if<std::string>(&v)) {
      stmt.bind(index++, *text);
    } else {
      stmt.bind(index++, std::get<int64_t>(v));
    }
  }
  return index;
}

Result<void> read_page(sqlite3* db, const UsageQuery& q, UsageQueryResult& out) {
  if (q.limit <= 0) return {};
  Where where = where_of_rows(q.filter);
  if (q.after) {
    // The first term is an index range on timestamp_ms; the second settles ties by rowid.
    const std::string ts = where.param(q.after->timestamp_ms);
    const std::string id = where.param(q.after->rowid);
    where.add(q.newest_first
                  ? "timestamp_ms <= " + ts + " AND (timestamp_ms < " + ts + " OR rowid < " + id + ")"
                  : "timestamp_ms >= " + ts + " AND (timestamp_ms > " + ts + " OR rowid > " + id + ")");
  }
  const char* order =
      q.newest_first ? " ORDER BY timestamp_ms DESC, rowid DESC" : " ORDER BY timestamp_ms, rowid";
  const int limit_index = static_cast<int>(where.values.size()) + 1;
  auto stmt = Statement::prepare(db, "SELECT " + std::string(kUsageColumns) + ", rowid FROM usage" +
                                         where.sql + order + " LIMIT ?" + std::to_string(limit_index) +
                                         " OFFSET ?" + std::to_string(limit_index + 1));
  if (!stmt) return std::unexpected(stmt.error());
  bind_where(*stmt, where);
  stmt->bind(limit_index, q.limit).bind(limit_index + 1, std::max<int64_t>(q.offset, 0));
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    out.rows.push_back(read_usage_row(*stmt, false));
    out.last = UsageCursor{out.rows.back().timestamp_ms, stmt->integer(kUsageColumnCount)};
  }
}

Result<void> count_rows(sqlite3* db, const UsageFilter& filter, UsageQueryResult& out) {
  const Where where = where_of_rows(filter);
  auto stmt = Statement::prepare(db, "SELECT COUNT(*) FROM usage" + where.sql);
  if (!stmt) return std::unexpected(stmt.error());
  bind_where(*stmt, where);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  out.total_rows = *row ? stmt->integer(0) : 0;
  return {};
}

// The slug of a project as its newest row records it (one index probe per project).
Result<std::string> slug_of(sqlite3* db, const std::string& project_id) {
  auto stmt = Statement::prepare(
      db, "SELECT project_slug FROM usage WHERE project_id = ?1 ORDER BY timestamp_ms DESC LIMIT 1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, project_id);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  return *row ? std::string(stmt->text_view(0)) : std::string();
}

// Sums the filtered rows one by one. Only columns held by the covering time/project indexes
// are read.
Result<void> fold_rows(sqlite3* db, const UsageFilter& filter, UsageFold& fold) {
  const Where where = where_of_rows(filter);
  auto stmt =
      Statement::prepare(db,
                         "SELECT model_id, timestamp_ms, outcome = 'success', call_type = 'routing', cost,"
                         " latency_ms, input_tokens, output_tokens, cached_input_tokens, project_id"
                         " FROM usage" +
                             where.sql);
  if (!stmt) return std::unexpected(stmt.error());
  bind_where(*stmt, where);
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    const int64_t latency = stmt->integer(5);
    FoldAmounts a{1, stmt->integer(6), stmt->integer(7), stmt->integer(8), latency, stmt->real(4)};
    fold.add(stmt->integer(1), stmt->text_view(0), stmt->text_view(9), stmt->integer(2) != 0,
             stmt->integer(3) != 0, a);
    fold.add_latency(latency);
  }
}

// Sums the rollup rows of one grain over [piece.from, piece.to) (whole buckets of that grain).
Result<void> fold_rollups(sqlite3* db, const UsageFilter& filter, const WindowPiece& piece, UsageFold& fold) {
  Where where;
  where.equals_int("grain", static_cast<int64_t>(*piece.grain));
  where.at_least("bucket_ms", piece.from_ms);
  where.below("bucket_ms", piece.to_ms);
  add_column_filters(where, filter, grain_is_full(*piece.grain));
  auto stmt =
      Statement::prepare(db,
                         "SELECT model_id, bucket_ms, outcome = 'success', call_type = 'routing', cost,"
                         " latency_sum_ms, input_tokens, output_tokens, cached_input_tokens, project_id,"
                         " calls, latency_hist FROM usage_rollup" +
                             where.sql);
  if (!stmt) return std::unexpected(stmt.error());
  bind_where(*stmt, where);
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    FoldAmounts a{stmt->integer(10), stmt->integer(6), stmt->integer(7),
                  stmt->integer(8),  stmt->integer(5), stmt->real(4)};
    fold.add(stmt->integer(1), stmt->text_view(0), stmt->text_view(9), stmt->integer(2) != 0,
             stmt->integer(3) != 0, a);
    fold.add_latency(LatencyHistogram::decode(stmt->blob(11)));
  }
}

Result<void> aggregate(sqlite3* db, const UsageQuery& q, bool from_rollups, UsageQueryResult& out) {
  return aggregate_usage(
      q, from_rollups, out, [&](const UsageFilter& f, UsageFold& fold) { return fold_rows(db, f, fold); },
      [&](const UsageFilter& f, const WindowPiece& piece, UsageFold& fold) {
        return fold_rollups(db, f, piece, fold);
      },
      [&](const std::string& project_id) { return slug_of(db, project_id); });
}

}  // namespace

Result<UsageQueryResult> SqliteStore::query_usage(const UsageQuery& query) {
  UsageQueryResult out;
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  sqlite3* db = reader->get();
  const bool from_rollups = rollups_ready_.load();
  // A read transaction so that the page and the aggregates see the same rows.
  if (auto ok = exec(db, "BEGIN"); !ok) return std::unexpected(ok.error());
  auto result = [&]() -> Result<void> {
    if (query.with_aggregates) {
      if (auto ok = aggregate(db, query, from_rollups, out); !ok) return ok;
    } else if (query.with_total) {
      if (from_rollups) {  // the summary alone, from the rollups: far cheaper than counting rows
        UsageQueryResult sums;
        if (auto ok = aggregate(db, query, true, sums); !ok) return ok;
        out.total_rows = sums.total_rows;
      } else if (auto ok = count_rows(db, query.filter, out); !ok) {
        return ok;
      }
    }
    return read_page(db, query, out);
  }();
  (void)exec(db, "COMMIT");  // read-only: nothing to lose; ends the snapshot either way
  if (!result) return std::unexpected(result.error());
  return out;
}

}  // namespace routerly::store::sqlite
