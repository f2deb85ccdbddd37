// The filtered usage query, in one read-only snapshot so that the page and the aggregates see
// the same rows. Every filter is a bound condition; the page is an index walk newest (or
// oldest) first, resumed after a keyset cursor or skipping an offset. The aggregates come from
// the rollups: the window is cut into whole days, whole hours and the partial hours at its ends
// (usage_rollup_plan.hpp), the last summed from the rows, row by row.
#include <algorithm>

#include "store/postgres/postgres_store.hpp"
#include "store/postgres/usage_rollup.hpp"
#include "store/usage_aggregate.hpp"
#include "store/usage_columns.hpp"
#include "store/usage_fold.hpp"
#include "store/usage_where.hpp"

namespace routerly::store::postgres {

namespace {

constexpr char kMark = '$';

Params params_of(const Where& where) {
  Params p;
  for (const auto& v : where.values) {
    if (const auto* text = std::get_if<std::string>(&v)) {
      p.add(*text);
    } else {
      p.add(std::get<int64_t>(v));
    }
  }
  return p;
}

Result<void> read_page(Connection& conn, const UsageQuery& q, UsageQueryResult& out) {
  if (q.limit <= 0) return {};
  Where where = where_of_rows(q.filter, kMark);
  if (q.after) {
    const std::string ts = where.param(q.after->timestamp_ms);
    const std::string seq = where.param(q.after->rowid);
    where.add("(timestamp_ms, seq) " + std::string(q.newest_first ? "<" : ">") + " (" + ts + ", " + seq +
              ")");
  }
  const std::string limit = where.param(q.limit);
  const std::string offset = where.param(std::max<int64_t>(q.offset, 0));
  const char* order =
      q.newest_first ? " ORDER BY timestamp_ms DESC, seq DESC" : " ORDER BY timestamp_ms, seq";
  auto rows = conn.exec("SELECT " + std::string(kUsageColumns) + ", seq FROM usage" + where.sql + order +
                            " LIMIT " + limit + " OFFSET " + offset,
                        params_of(where));
  if (!rows) return std::unexpected(rows.error());
  for (int i = 0; i < rows->size(); ++i) {
    out.rows.push_back(read_usage_columns(Row(*rows, i), false));
    out.last = UsageCursor{out.rows.back().timestamp_ms, rows->integer(i, kUsageColumnCount)};
  }
  return {};
}

// The slug of a project as its newest row records it (one index probe per project).
Result<std::string> slug_of(Connection& conn, const std::string& project_id) {
  Params p;
  p.add(project_id);
  auto rows = conn.prepared(
      "SELECT project_slug FROM usage WHERE project_id = $1 ORDER BY timestamp_ms DESC LIMIT 1", p);
  if (!rows) return std::unexpected(rows.error());
  return rows->size() > 0 ? std::string(rows->text(0, 0)) : std::string();
}

// Sums the filtered rows one by one.
Result<void> fold_rows(Connection& conn, const UsageFilter& filter, UsageFold& fold) {
  const Where where = where_of_rows(filter, kMark);
  return conn.for_each_row(
      "SELECT model_id, timestamp_ms, outcome = 'success', call_type = 'routing', cost, latency_ms, "
      "input_tokens,"
      " output_tokens, cached_input_tokens, project_id FROM usage" +
          where.sql,
      params_of(where), [&](const Rows& r) {
        const int64_t latency = r.integer(0, 5);
        FoldAmounts a{1, r.integer(0, 6), r.integer(0, 7), r.integer(0, 8), latency, r.real(0, 4)};
        fold.add(r.integer(0, 1), r.text(0, 0), r.text(0, 9), r.boolean(0, 2), r.boolean(0, 3), a);
        fold.add_latency(latency);
      });
}

// Sums the rollup rows of one grain over [piece.from, piece.to) (whole buckets of that grain).
Result<void> fold_rollups(Connection& conn, const UsageFilter& filter, const WindowPiece& piece,
                          UsageFold& fold) {
  Where where;
  where.mark = kMark;
  where.equals_int("grain", static_cast<int64_t>(*piece.grain));
  where.at_least("bucket_ms", piece.from_ms);
  where.below("bucket_ms", piece.to_ms);
  add_column_filters(where, filter, grain_is_full(*piece.grain));
  return conn.for_each_row(
      "SELECT model_id, bucket_ms, outcome = 'success', call_type = 'routing', cost, latency_sum_ms, "
      "input_tokens,"
      " output_tokens, cached_input_tokens, project_id, calls, latency_hist FROM usage_rollup" +
          where.sql,
      params_of(where), [&](const Rows& r) {
        FoldAmounts a{r.integer(0, 10), r.integer(0, 6), r.integer(0, 7),
                      r.integer(0, 8),  r.integer(0, 5), r.real(0, 4)};
        fold.add(r.integer(0, 1), r.text(0, 0), r.text(0, 9), r.boolean(0, 2), r.boolean(0, 3), a);
        fold.add_latency(parse_histogram_array(r.text(0, 11)));
      });
}

Result<void> aggregate(Connection& conn, const UsageQuery& q, UsageQueryResult& out) {
  return aggregate_usage(
      q, true, out, [&](const UsageFilter& f, UsageFold& fold) { return fold_rows(conn, f, fold); },
      [&](const UsageFilter& f, const WindowPiece& piece, UsageFold& fold) {
        return fold_rollups(conn, f, piece, fold);
      },
      [&](const std::string& project_id) { return slug_of(conn, project_id); });
}

}  // namespace

Result<UsageQueryResult> PostgresStore::query_usage(const UsageQuery& query) {
  return pool_->run([&](Connection& conn) -> Result<UsageQueryResult> {
    UsageQueryResult out;
    auto tx = Transaction::begin(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!tx) return std::unexpected(tx.error());
    if (query.with_aggregates) {
      if (auto ok = aggregate(conn, query, out); !ok) return std::unexpected(ok.error());
    } else if (query.with_total) {  // the summary alone, from the rollups: far cheaper than counting rows
      UsageQueryResult sums;
      if (auto ok = aggregate(conn, query, sums); !ok) return std::unexpected(ok.error());
      out.total_rows = sums.total_rows;
    }
    if (auto ok = read_page(conn, query, out); !ok) return std::unexpected(ok.error());
    if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
    return out;
  });
}

}  // namespace routerly::store::postgres
