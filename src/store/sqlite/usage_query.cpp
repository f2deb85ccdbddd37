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

Result<void> read_page(sqlite3* db, const UsageQuery& q, Where where, UsageQueryResult& out) {
  if (q.limit <= 0) return {};
  if (q.after) {
    // The first term is an index range on timestamp_ms; the second settles ties by rowid.
    where.values.emplace_back(q.after->timestamp_ms);
    const std::string ts = "?" + std::to_string(where.values.size());
    where.values.emplace_back(q.after->rowid);
    const std::string id = "?" + std::to_string(where.values.size());
    where.add(q.newest_first ? "timestamp_ms <= " + ts + " AND (timestamp_ms < " + ts + " OR rowid < " + id + ")"
                             : "timestamp_ms >= " + ts + " AND (timestamp_ms > " + ts + " OR rowid > " + id + ")");
  }
  const char* order =
      q.newest_first ? " ORDER BY timestamp_ms DESC, rowid DESC" : " ORDER BY timestamp_ms, rowid";
  const int limit_index = static_cast<int>(where.values.size()) + 1;
  auto stmt = Statement::prepare(db, "SELECT " + std::string(kUsageColumns) + ", rowid FROM usage" + where.sql +
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
    out.last = UsageCursor{out.rows.back().timestamp_ms, stmt->integer(kUsageColumnCount)};
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

std::string bucket_key(int64_t bucket, int64_t bucket_ms) {
  const std::size_t key_length = bucket_ms == kHourMs ? 13 : 10;  // YYYY-MM-DDTHH / YYYY-MM-DD
  return clock::iso_utc(bucket * bucket_ms).substr(0, key_length);
}

// Finds or appends `key` in a short list (few distinct models/projects), remembering the last
// hit because consecutive rows usually share it.
template <typename Agg>
Agg& entry(std::vector<std::pair<std::string, Agg>>& list, std::size_t& last, std::string_view key) {
  if (last < list.size() && list[last].first == key) return list[last].second;
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == key; });
  if (it == list.end()) it = list.insert(list.end(), {std::string(key), Agg{}});
  last = static_cast<std::size_t>(it - list.begin());
  return it->second;
}

// Keeps the iterator of the current bucket: rows mostly arrive in time order.
template <typename Value>
struct BucketCursor {
  std::map<int64_t, Value> buckets;
  typename std::map<int64_t, Value>::iterator it = buckets.end();
  int64_t current = 0;
  Value& at(int64_t bucket) {
    if (it == buckets.end() || bucket != current) {
      it = buckets.try_emplace(bucket).first;
      current = bucket;
    }
    return it->second;
  }
};

// One pass over the filtered rows, folded here rather than with SQL GROUP BY: grouping makes
// SQLite sort every row, which costs more than the scan itself on large ranges. Only columns
// held by the covering time/project indexes are read (project_id is covered by the project
// index; slugs are looked up afterwards, once per project).
Result<void> aggregate(sqlite3* db, const UsageQuery& q, const Where& where, UsageQueryResult& out) {
  const int64_t bucket_ms = q.timeline_bucket == "hour" ? kHourMs : kDayMs;
  const int64_t series_ms = q.series_bucket == "hour" ? kHourMs : kDayMs;
  auto stmt =
      Statement::prepare(db,
                         "SELECT model_id, timestamp_ms, outcome = 'success', call_type = 'routing', cost,"
                         " latency_ms, input_tokens, output_tokens, cached_input_tokens, project_id"
                         " FROM usage" +
                             where.sql);
  if (!stmt) return std::unexpected(stmt.error());
  where.bind(*stmt);
  std::vector<std::pair<std::string, ModelAggregate>> models;
  std::vector<std::pair<std::string, ProjectAggregate>> projects;
  std::size_t last_model = 0, last_project = 0;
  BucketCursor<double> timeline;  // bucket → success cost
  BucketCursor<SeriesPoint> series;
  double latency_sum = 0;
  UsageSummary& s = out.summary;
  for (;;) {
    auto more = stmt->step();
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    const bool success = stmt->integer(2) != 0, routing = stmt->integer(3) != 0;
    const double cost = stmt->real(4);
    const int64_t timestamp = stmt->integer(1), input = stmt->integer(6), output = stmt->integer(7);
    ++s.total_calls;
    latency_sum += static_cast<double>(stmt->integer(5));
    ModelAggregate& agg = entry(models, last_model, stmt->text_view(0));
    ++agg.calls;
    agg.input_tokens += input;
    agg.output_tokens += output;
    agg.cached_input_tokens += stmt->integer(8);
    agg.cost += cost;
    ProjectAggregate& project = entry(projects, last_project, stmt->text_view(9));
    ++project.calls;
    project.input_tokens += input;
    project.output_tokens += output;
    project.cost += cost;
    SeriesPoint& point = series.at(timestamp / series_ms);
    ++point.calls;
    point.input_tokens += input;
    point.output_tokens += output;
    point.cost += cost;
    if (routing) ++s.routing_calls;
    if (!success) {
      ++agg.errors;
      ++project.errors;
      ++point.errors;
      continue;
    }
    ++s.success_calls;
    s.total_cost += cost;
    if (routing) s.routing_cost += cost;
    timeline.at(timestamp / bucket_ms) += cost;
  }
  for (auto& [model, agg] : models) out.by_model.emplace(std::move(model), agg);
  for (auto& [id, agg] : projects) {
    auto slug = slug_of(db, id);
    if (!slug) return std::unexpected(slug.error());
    agg.slug = std::move(*slug);
    out.by_project.emplace(std::move(id), std::move(agg));
  }
  s.completion_calls = s.total_calls - s.routing_calls;
  s.completion_cost = s.total_cost - s.routing_cost;
  s.avg_latency_ms = s.total_calls > 0 ? latency_sum / static_cast<double>(s.total_calls) : 0;
  out.total_rows = s.total_calls;
  for (const auto& [bucket, cost] : timeline.buckets)
    out.timeline.emplace_back(bucket_key(bucket, bucket_ms), cost);
  for (auto& [bucket, point] : series.buckets) {
    point.bucket = bucket_key(bucket, series_ms);
    out.series.push_back(std::move(point));
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
