// The filtered usage query (SPEC §9.3, §00 P18): every filter is a bound SQL condition, the
// page is a LIMIT/OFFSET walk newest (or oldest) first, and the aggregates are computed over
// all filtered rows in one grouped scan that is folded into summary, by-model and timeline.
#include <algorithm>
#include <map>
#include <variant>

#include "common/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/usage_columns.hpp"

namespace routerly::store::sqlite {

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 86'400'000;

struct Where {
  std::string sql;  // " WHERE ..." or empty
  std::vector<std::variant<std::string, int64_t>> values;

  void add(std::string_view condition) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += condition;
  }
  void equals(std::string_view column, const std::string& value) {
    if (value.empty()) return;
    values.emplace_back(value);
    add(std::string(column) + " = ?" + std::to_string(values.size()));
  }
  // Binds the values from index 1; returns the next free index.
  int bind(Statement& stmt) const {
    int index = 1;
    for (const auto& v : values) {
      if (const auto* text = std::get_if<std::string>(&v)) {
        stmt.bind(index++, *text);
      } else {
        stmt.bind(index++, std::get<int64_t>(v));
      }
    }
    return index;
  }
};

Where where_of(const UsageFilter& f) {
  Where w;
  if (f.from_ms) {
    w.values.emplace_back(*f.from_ms);
    w.add("timestamp_ms >= ?" + std::to_string(w.values.size()));
  }
  if (f.to_ms) {
    w.values.emplace_back(*f.to_ms);
    w.add("timestamp_ms < ?" + std::to_string(w.values.size()));
  }
  w.equals("project_id", f.project_id);
  if (f.project_in) {
    if (f.project_in->empty()) {
      w.add("0");
    } else {
      std::string in = "project_id IN (";
      for (std::size_t i = 0; i < f.project_in->size(); ++i) {
        w.values.emplace_back((*f.project_in)[i]);
        in += (i == 0 ? "?" : ", ?") + std::to_string(w.values.size());
      }
      w.add(in + ")");
    }
  }
  w.equals("model_id", f.model_id);
  w.equals("outcome", f.outcome);
  w.equals("type", f.type);
  w.equals("token_id", f.token_id);
  w.equals("call_type", f.call_type);
  return w;
}

Result<void> read_page(sqlite3* db, const UsageQuery& q, const Where& where, UsageQueryResult& out) {
  if (q.limit <= 0) return {};
  const char* order =
      q.newest_first ? " ORDER BY timestamp_ms DESC, rowid DESC" : " ORDER BY timestamp_ms, rowid";
  const int limit_index = static_cast<int>(where.values.size()) + 1;
  auto stmt = Statement::prepare(db, "SELECT " + std::string(kUsageColumns) + " FROM usage" + where.sql +
                                         order + " LIMIT ?" + std::to_string(limit_index) + " OFFSET ?" +
                                         std::to_string(limit_index + 1));
  if (!stmt) return std::unexpected(stmt.error());
  where.bind(*stmt);
  stmt->bind(limit_index, q.limit).bind(limit_index + 1, std::max<int64_t>(q.offset, 0));
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    out.rows.push_back(read_usage_row(*stmt, false));
  }
}

Result<void> count_rows(sqlite3* db, const Where& where, UsageQueryResult& out) {
  auto stmt = Statement::prepare(db, "SELECT COUNT(*) FROM usage" + where.sql);
  if (!stmt) return std::unexpected(stmt.error());
  where.bind(*stmt);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  out.total_rows = *row ? stmt->integer(0) : 0;
  return {};
}

// One pass over the filtered rows, folded here rather than with SQL GROUP BY: grouping makes
// SQLite sort every row, which costs more than the scan itself on large ranges. Only columns
// held by the covering time/project indexes are read.
Result<void> aggregate(sqlite3* db, const UsageQuery& q, const Where& where, UsageQueryResult& out) {
  const int64_t bucket_ms = q.timeline_bucket == "hour" ? kHourMs : kDayMs;
  auto stmt =
      Statement::prepare(db,
                         "SELECT model_id, timestamp_ms, outcome = 'success', call_type = 'routing', cost,"
                         " latency_ms, input_tokens, output_tokens, cached_input_tokens FROM usage" +
                             where.sql);
  if (!stmt) return std::unexpected(stmt.error());
  where.bind(*stmt);
  std::vector<std::pair<std::string, ModelAggregate>> models;  // few distinct models: linear search
  std::map<int64_t, double> timeline;                          // bucket → success cost
  auto bucket_it = timeline.end();
  int64_t current_bucket = 0;
  double latency_sum = 0;
  UsageSummary& s = out.summary;
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    const std::string_view model = stmt->text_view(0);
    auto m = std::find_if(models.begin(), models.end(), [&](const auto& e) { return e.first == model; });
    if (m == models.end()) m = models.insert(models.end(), {std::string(model), ModelAggregate{}});
    const bool success = stmt->integer(2) != 0, routing = stmt->integer(3) != 0;
    const double cost = stmt->real(4);
    ++s.total_calls;
    latency_sum += static_cast<double>(stmt->integer(5));
    ModelAggregate& agg = m->second;
    ++agg.calls;
    agg.input_tokens += stmt->integer(6);
    agg.output_tokens += stmt->integer(7);
    agg.cached_input_tokens += stmt->integer(8);
    agg.cost += cost;
    if (routing) ++s.routing_calls;
    if (!success) {
      ++agg.errors;
      continue;
    }
    ++s.success_calls;
    s.total_cost += cost;
    if (routing) s.routing_cost += cost;
    const int64_t bucket = stmt->integer(1) / bucket_ms;
    if (bucket_it == timeline.end() || bucket != current_bucket) {  // rows mostly arrive in time order
      bucket_it = timeline.try_emplace(bucket, 0.0).first;
      current_bucket = bucket;
    }
    bucket_it->second += cost;
  }
  for (auto& [model, agg] : models) out.by_model.emplace(std::move(model), agg);
  s.completion_calls = s.total_calls - s.routing_calls;
  s.completion_cost = s.total_cost - s.routing_cost;
  s.avg_latency_ms = s.total_calls > 0 ? latency_sum / static_cast<double>(s.total_calls) : 0;
  out.total_rows = s.total_calls;
  const std::size_t key_length = bucket_ms == kHourMs ? 13 : 10;  // YYYY-MM-DDTHH / YYYY-MM-DD
  for (const auto& [bucket, cost] : timeline) {
    out.timeline.emplace_back(clock::iso_utc(bucket * bucket_ms).substr(0, key_length), cost);
  }
  return {};
}

}  // namespace

Result<UsageQueryResult> SqliteStore::query_usage(const UsageQuery& query) {
  const Where where = where_of(query.filter);
  UsageQueryResult out;
  std::lock_guard lock(mutex_);
  // A read transaction so that the page and the aggregates see the same rows.
  if (auto ok = exec(db_, "BEGIN"); !ok) return std::unexpected(ok.error());
  auto result = [&]() -> Result<void> {
    if (auto ok = query.with_aggregates ? aggregate(db_, query, where, out) : count_rows(db_, where, out);
        !ok)
      return ok;
    return read_page(db_, query, where, out);
  }();
  (void)exec(db_, "COMMIT");  // read-only: nothing to lose; ends the snapshot either way
  if (!result) return std::unexpected(result.error());
  return out;
}

}  // namespace routerly::store::sqlite
