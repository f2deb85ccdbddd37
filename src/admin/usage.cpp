// Usage queries: /api/usage (page + summary, byModel, byProject, timeline, series),
// /api/usage/{id}, /api/traces/{traceId} (report:read); the export is usage_export.cpp.
// Filters (SPEC §9.3 + §00 P18) are validated here and run in the store; callers whose global
// role lacks project:read only see the projects they are members of (P20), and a project they
// may not read is reported as not found. Calendar periods are UTC.
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/usage_filter.hpp"
#include "common/clock.hpp"
#include "usage/record_json.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

constexpr int64_t kDefaultPageSize = 100;
constexpr int64_t kMaxPageSize = 200;
constexpr int64_t kMaxLimit = 1000;
constexpr int64_t kDayMs = 86'400'000;
constexpr std::size_t kTimelineBuckets = 30;

Error invalid(std::string_view name, std::string_view what) {
  return Error{ErrorCode::validation_error,
               "query parameter '" + std::string(name) + "' " + std::string(what)};
}

// Optional integer query parameter within [min, max]; 400 naming it otherwise.
Result<std::optional<int64_t>> query_integer(const http::Request& req, std::string_view name, int64_t min,
                                             int64_t max) {
  auto raw = req.query_param(name);
  if (!raw) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || end != raw->data() + raw->size() || raw->empty() || value < min || value > max)
    return std::unexpected(
        invalid(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)));
  return value;
}

// Optional query parameter that must be one of `allowed` (empty = absent).
Result<std::string> query_enum(const http::Request& req, std::string_view name,
                               std::initializer_list<std::string_view> allowed) {
  auto raw = req.query_param(name);
  if (!raw || raw->empty()) return std::string();
  std::string list;
  for (auto a : allowed) {
    if (*raw == a) return *raw;
    list += list.empty() ? "" : ", ";
    list += a;
  }
  return std::unexpected(invalid(name, "must be one of: " + list));
}

double round_to(double value, double scale) {
  return std::round(value * scale) / scale;
}

// Who may read which project's usage.
struct Visibility {
  const Caller& caller;
  bool all = false;  // global project:read

  explicit Visibility(const Caller& c)
      : caller(c), all(auth::has_permission(*c.snap, c.role_id(), "project:read")) {}

  bool can_read(std::string_view project_id) const {
    if (all) return true;
    const json::object* project = caller.snap->project(project_id);
    return project != nullptr && project->at("id").as_string() == project_id &&
           auth::can_access_project(*caller.snap, *caller.user, *project, auth::ProjectAction::read);
  }
  std::vector<std::string> readable_ids() const {
    std::vector<std::string> ids;
    for (const auto& p : caller.snap->docs.projects) {
      if (auth::can_access_project(*caller.snap, *caller.user, p, auth::ProjectAction::read))
        ids.emplace_back(p.at("id").as_string());
    }
    return ids;
  }
};

// `project` (id or slug) and `projectId` (exact id) → the project id to filter by. Usage of a
// deleted project stays queryable by its id for callers who may read every project.
Result<std::string> project_filter(const http::Request& req, const Visibility& vis) {
  std::string chosen;
  for (std::string_view name : {"projectId", "project"}) {
    auto raw = req.query_param(name);
    if (!raw || raw->empty()) continue;
    std::string id = *raw;
    if (name == "project") {
      if (const json::object* p = vis.caller.snap->project(*raw)) id = std::string(p->at("id").as_string());
    }
    if (!vis.can_read(id)) return fail(ErrorCode::not_found, "project '" + *raw + "' not found");
    if (!chosen.empty() && chosen != id)
      return fail(ErrorCode::validation_error,
                  "query parameters 'project' and 'projectId' name "
                  "different projects");
    chosen = std::move(id);
  }
  return chosen;
}

// `from` / `to` of a custom period: a date (≤ 10 chars) covers that whole UTC day.
Result<std::optional<int64_t>> bound(const http::Request& req, std::string_view name, bool upper) {
  auto raw = req.query_param(name);
  if (!raw || raw->empty()) return std::nullopt;
  auto ms = clock::parse_iso(*raw);
  if (!ms) return std::unexpected(invalid(name, "must be a date (YYYY-MM-DD) or an ISO-8601 instant"));
  if (!upper) return *ms;
  return raw->size() <= 10 ? *ms + kDayMs : *ms + 1;  // exclusive upper bound
}

// Fills the time range of `filter` from period/from/to. Returns the timeline bucket.
Result<std::string> apply_period(const http::Request& req, store::UsageFilter& filter) {
  const int64_t now = clock::now_ms();
  const int64_t today = now / kDayMs * kDayMs;
  auto from = bound(req, "from", false);
  if (!from) return std::unexpected(from.error());
  auto to = bound(req, "to", true);
  if (!to) return std::unexpected(to.error());
  std::string period = req.query_param("period").value_or("");
  if (period.empty()) period = *from || *to ? "custom" : "monthly";

  filter.to_ms = now + kDayMs;
  if (period == "daily") {
    filter.from_ms = today;
  } else if (period == "weekly") {
    const int64_t days = today / kDayMs;  // 1970-01-01 was a Thursday
    filter.from_ms = (days - (days + 3) % 7) * kDayMs;
  } else if (period == "monthly") {
    filter.from_ms = clock::parse_iso(clock::iso_utc(now).substr(0, 8) + "01");
  } else if (period == "custom") {
    filter.from_ms = *from;
    if (*to) filter.to_ms = *to;
  }  // any other value: since the epoch
  return std::string(period == "daily" ? "hour" : "day");
}

json::object summary_json(const store::UsageSummary& s) {
  const double success_rate =
      s.total_calls > 0 ? static_cast<double>(s.success_calls) / static_cast<double>(s.total_calls) : 0;
  return json::object{{"totalCost", round_to(s.total_cost, 1e9)},
                      {"totalCalls", s.total_calls},
                      {"successCalls", s.success_calls},
                      {"errorCalls", s.total_calls - s.success_calls},
                      {"successRate", round_to(success_rate, 1e4)},
                      {"routingCalls", s.routing_calls},
                      {"completionCalls", s.completion_calls},
                      {"routingCost", round_to(s.routing_cost, 1e9)},
                      {"completionCost", round_to(s.completion_cost, 1e9)},
                      {"avgLatencyMs", round_to(s.avg_latency_ms, 1e1)},
                      {"latencyP50Ms", round_to(s.latency_p50_ms, 1e1)},
                      {"latencyP95Ms", round_to(s.latency_p95_ms, 1e1)},
                      {"latencyP99Ms", round_to(s.latency_p99_ms, 1e1)}};
}

json::object by_model_json(const std::map<std::string, store::ModelAggregate>& by_model) {
  json::object out;
  for (const auto& [model, m] : by_model) {
    out[model] = json::object{{"calls", m.calls},
                              {"inputTokens", m.input_tokens},
                              {"outputTokens", m.output_tokens},
                              {"cachedInputTokens", m.cached_input_tokens},
                              {"cost", round_to(m.cost, 1e9)},
                              {"errors", m.errors}};
  }
  return out;
}

json::object by_project_json(const std::map<std::string, store::ProjectAggregate>& by_project) {
  json::object out;
  for (const auto& [id, p] : by_project) {
    out[id] = json::object{{"slug", p.slug},
                           {"calls", p.calls},
                           {"inputTokens", p.input_tokens},
                           {"outputTokens", p.output_tokens},
                           {"cost", round_to(p.cost, 1e9)},
                           {"errors", p.errors}};
  }
  return out;
}

json::array series_json(const std::vector<store::SeriesPoint>& series) {
  json::array out;
  for (const auto& p : series) {
    out.push_back(json::object{{"bucket", p.bucket},
                               {"calls", p.calls},
                               {"errors", p.errors},
                               {"cost", round_to(p.cost, 1e9)},
                               {"inputTokens", p.input_tokens},
                               {"outputTokens", p.output_tokens}});
  }
  return out;
}

json::array timeline_json(const std::vector<std::pair<std::string, double>>& timeline) {
  json::array out;
  const std::size_t first = timeline.size() > kTimelineBuckets ? timeline.size() - kTimelineBuckets : 0;
  for (std::size_t i = first; i < timeline.size(); ++i)
    out.push_back(json::array{json::string(timeline[i].first), round_to(timeline[i].second, 1e9)});
  return out;
}

}  // namespace

std::string format_usage_cursor(const store::UsageCursor& c) {
  return std::to_string(c.timestamp_ms) + "_" + std::to_string(c.rowid);
}

std::optional<store::UsageCursor> parse_usage_cursor(std::string_view text) {
  const auto sep = text.find('_');
  if (sep == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view digits, int64_t& out) {
    if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string_view::npos)
      return false;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc() && end == digits.data() + digits.size();
  };
  store::UsageCursor c;
  if (!number(text.substr(0, sep), c.timestamp_ms) || !number(text.substr(sep + 1), c.rowid)) return std::nullopt;
  return c;
}

Result<store::UsageQuery> usage_query_of(const http::Request& req, const Caller& caller) {
  store::UsageQuery q;
  auto outcome = query_enum(req, "outcome", {"success", "error", "timeout", "budget_exceeded"});
  if (!outcome) return std::unexpected(outcome.error());
  auto type = query_enum(req, "type",
                         {"chat", "responses", "messages", "embeddings", "completions", "images", "audio", "moderations"});
  if (!type) return std::unexpected(type.error());
  auto call_type = query_enum(req, "callType", {"completion", "routing"});
  if (!call_type) return std::unexpected(call_type.error());
  auto order = query_enum(req, "order", {"desc", "asc"});
  if (!order) return std::unexpected(order.error());
  q.filter.outcome = std::move(*outcome);
  q.filter.type = std::move(*type);
  q.filter.call_type = std::move(*call_type);
  q.newest_first = *order != "asc";
  q.filter.model_id = req.query_param("model").value_or("");
  q.filter.token_id = req.query_param("token").value_or("");

  const Visibility vis(caller);
  auto project = project_filter(req, vis);
  if (!project) return std::unexpected(project.error());
  q.filter.project_id = std::move(*project);
  if (!vis.all && q.filter.project_id.empty()) q.filter.project_in = vis.readable_ids();
  auto bucket = apply_period(req, q.filter);
  if (!bucket) return std::unexpected(bucket.error());
  auto series_bucket = query_enum(req, "bucket", {"hour", "day"});
  if (!series_bucket) return std::unexpected(series_bucket.error());
  q.series_bucket = series_bucket->empty() ? *bucket : *series_bucket;
  q.timeline_bucket = std::move(*bucket);

  return q;
}

namespace {

Result<json::object> list(Context& ctx, const http::Request& req, const Caller& caller) {
  constexpr int64_t kMaxPage = std::numeric_limits<int64_t>::max() / kMaxPageSize;
  auto page = query_integer(req, "page", 1, kMaxPage);
  if (!page) return std::unexpected(page.error());
  auto page_size = query_integer(req, "pageSize", 1, kMaxPageSize);
  if (!page_size) return std::unexpected(page_size.error());
  auto limit = query_integer(req, "limit", 1, kMaxLimit);
  if (!limit) return std::unexpected(limit.error());
  auto offset = query_integer(req, "offset", 0, std::numeric_limits<int64_t>::max());
  if (!offset) return std::unexpected(offset.error());
  std::optional<store::UsageCursor> cursor;
  if (auto raw = req.query_param("cursor"); raw && !raw->empty()) {
    cursor = parse_usage_cursor(*raw);
    if (!cursor) return std::unexpected(invalid("cursor", "must be a nextCursor value from an earlier answer"));
  }

  auto parsed = usage_query_of(req, caller);
  if (!parsed) return std::unexpected(parsed.error());
  store::UsageQuery q = std::move(*parsed);

  // limit/offset and cursor win over page/pageSize; the reported page is derived from
  // them (counted from the cursor when there is one). A cursor resumes the walk right after the
  // row it names, in the same order: cheap at any depth, unlike a large offset.
  const bool by_offset = *limit || *offset || cursor;
  const int64_t size = by_offset ? limit->value_or(page_size->value_or(kDefaultPageSize))
                                 : page_size->value_or(kDefaultPageSize);
  int64_t current = by_offset ? offset->value_or(0) / size + 1 : page->value_or(1);
  q.limit = size;
  q.offset = by_offset ? offset->value_or(0) : (current - 1) * size;
  q.after = cursor;
  auto result = ctx.store.query_usage(q);
  if (!result) return std::unexpected(result.error());
  const int64_t total = result->total_rows;
  const int64_t total_pages = std::max<int64_t>(1, (total + size - 1) / size);
  if (!by_offset && current > total_pages) {  // SPEC §9.3: page is clamped to totalPages
    current = total_pages;
    q.offset = (current - 1) * size;
    q.with_aggregates = false;
    q.with_total = false;
    auto clamped = ctx.store.query_usage(q);
    if (!clamped) return std::unexpected(clamped.error());
    result->rows = std::move(clamped->rows);
    result->last = clamped->last;
  }

  json::array records;
  for (const auto& row : result->rows) records.push_back(usage::record_json(row, false));
  // A full page may have a successor: its last row is where the next one starts.
  json::value next_cursor = nullptr;
  if (result->last && static_cast<int64_t>(result->rows.size()) == size) next_cursor = json::string(format_usage_cursor(*result->last));
  return json::object{
      {"summary", summary_json(result->summary)},
      {"byModel", by_model_json(result->by_model)},
      {"timeline", timeline_json(result->timeline)},
      {"byProject", by_project_json(result->by_project)},
      {"series", series_json(result->series)},
      {"records", std::move(records)},
      {"nextCursor", std::move(next_cursor)},
      {"pagination",
       json::object{
           {"page", current}, {"pageSize", size}, {"totalRecords", total}, {"totalPages", total_pages}}}};
}

http::Response list_usage(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "report:read");
  if (!caller) return respond(caller.error());
  auto out = list(ctx, req, *caller);
  if (!out) return respond(out.error());
  return http::Response::json(200, *out);
}

http::Response get_record(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "report:read");
  if (!caller) return respond(caller.error());
  const std::string id(req.param("id"));
  auto row = ctx.store.get_usage(id);
  if (!row) return respond(row.error());
  if (!*row || !Visibility(*caller).can_read((*row)->project_id))
    return respond({ErrorCode::not_found, "usage record '" + id + "' not found"});
  return http::Response::json(200, usage::record_json(**row, true));
}

// Every stored row of the trace the caller may read; the trace is the fullest snapshot among
// them (rows written later in a request carry longer traces).
http::Response get_trace(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "report:read");
  if (!caller) return respond(caller.error());
  const std::string trace_id(req.param("traceId"));
  auto rows = ctx.store.usage_by_trace(trace_id);
  if (!rows) return respond(rows.error());
  const Visibility vis(*caller);
  json::array records;
  const json::array* trace = nullptr;
  for (const auto& row : *rows) {
    if (!vis.can_read(row.project_id)) continue;
    records.push_back(usage::record_json(row, false));
    if (trace == nullptr || row.trace.size() >= trace->size()) trace = &row.trace;
  }
  if (records.empty()) return respond({ErrorCode::not_found, "trace '" + trace_id + "' not found"});
  return http::Response::json(
      200, json::object{{"traceId", trace_id}, {"trace", *trace}, {"records", std::move(records)}});
}

}  // namespace

void register_usage_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/usage", [&ctx](http::Request& req) { return list_usage(ctx, req); });
  register_usage_export_route(r, ctx);
  r.add("GET", "/api/usage/{id}", [&ctx](http::Request& req) { return get_record(ctx, req); });
  r.add("GET", "/api/traces/{traceId}", [&ctx](http::Request& req) { return get_trace(ctx, req); });
}

}  // namespace routerly::admin
