// GET /api/usage/export?format=csv|ndjson&<the /api/usage filters> (report:read): every
// matching record, oldest first unless order=desc, as an attachment. The body is built in
// memory, so an export is bounded: more than kMaxExportRows matching rows is refused with a
// 400 asking for a narrower filter.
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/usage_filter.hpp"
#include "common/clock.hpp"
#include "usage/record_json.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxExportRows = 1'000'000;

// Columns of the CSV export, in order: record fields (SPEC §4.6 names) without the trace.
constexpr std::string_view kCsvColumns[] = {"id",
                                            "timestamp",
                                            "projectId",
                                            "projectSlug",
                                            "tokenId",
                                            "modelId",
                                            "provider",
                                            "type",
                                            "callType",
                                            "outcome",
                                            "inputTokens",
                                            "outputTokens",
                                            "cachedInputTokens",
                                            "cacheCreationInputTokens",
                                            "tokensEstimated",
                                            "cost",
                                            "costInput",
                                            "costOutput",
                                            "latencyMs",
                                            "ttftMs",
                                            "stream",
                                            "errorMessage",
                                            "traceId"};

// RFC 4180: a field holding a comma, quote, CR or LF is quoted, with quotes doubled.
void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string csv_value(const json::object& record, std::string_view column) {
  const json::value* v = record.if_contains(column);
  if (v == nullptr) return {};
  if (const auto* s = v->if_string()) return std::string(*s);
  return json::serialize(*v);
}

std::string csv_body(const std::vector<store::UsageRow>& rows) {
  std::string out;
  bool first = true;
  for (auto column : kCsvColumns) {
    if (!first) out += ',';
    first = false;
    out += column;
  }
  out += "\r\n";
  for (const auto& row : rows) {
    const json::object record = usage::record_json(row, false);
    first = true;
    for (auto column : kCsvColumns) {
      if (!first) out += ',';
      first = false;
      append_csv_field(out, csv_value(record, column));
    }
    out += "\r\n";
  }
  return out;
}

std::string ndjson_body(const std::vector<store::UsageRow>& rows) {
  std::string out;
  for (const auto& row : rows) {
    out += json::serialize(usage::record_json(row, false));
    out += '\n';
  }
  return out;
}

http::Response export_usage(Context& ctx, const http::Request& req) {
  auto caller = require_permission(ctx, req, "report:read");
  if (!caller) return respond(caller.error());
  const std::string format = req.query_param("format").value_or("csv");
  if (format != "csv" && format != "ndjson")
    return respond({ErrorCode::validation_error, "query parameter 'format' must be one of: csv, ndjson"});
  auto q = usage_query_of(req, *caller);
  if (!q) return respond(q.error());
  q->newest_first = req.query_param("order").value_or("asc") == "desc";
  q->with_aggregates = false;
  q->limit = 0;  // count first: refuse before reading a too-large export
  auto counted = ctx.store.query_usage(*q);
  if (!counted) return respond(counted.error());
  if (counted->total_rows > kMaxExportRows)
    return respond({ErrorCode::validation_error,
                    "the filter (period/from/to, project, model, outcome, type, token) matches " +
                        std::to_string(counted->total_rows) + " records; an export holds at most " +
                        std::to_string(kMaxExportRows) + ": narrow it"});
  q->limit = std::max<int64_t>(counted->total_rows, 1);
  auto result = ctx.store.query_usage(*q);
  if (!result) return respond(result.error());

  const bool csv = format == "csv";
  const std::string stamp = clock::iso_utc(clock::now_ms()).substr(0, 10);
  auto response = http::Response::text(200, csv ? csv_body(result->rows) : ndjson_body(result->rows),
                                       csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
  response.set_header("content-disposition",
                      "attachment; filename=\"routerly-usage-" + stamp + (csv ? ".csv\"" : ".ndjson\""));
  return response;
}

}  // namespace

void register_usage_export_route(http::Router& r, Context& ctx) {
  r.add("GET", "/api/usage/export", [&ctx](http::Request& req) { return export_usage(ctx, req); });
}

}  // namespace routerly::admin
