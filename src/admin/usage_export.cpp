// GET /api/usage/export?format=csv|ndjson&<the /api/usage filters> (report:read): every
// matching record, oldest first unless order=desc, as an attachment. The body is streamed:
// pages of kExportPageRows rows are read on the blocking pool (keyset paging, so page n costs
// what page 1 does) and each page is sent as one chunk, so memory stays flat whatever the size.
// A store failure mid-export ends the connection without the closing chunk: the client sees a
// truncated download, never a short file that looks complete.
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/usage_filter.hpp"
#include "common/clock.hpp"
#include "usage/record_json.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/awaitable.hpp>
#include "http/exchange.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

constexpr int64_t kExportPageRows = 2000;

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

std::string csv_header() {
  std::string out;
  bool first = true;
  for (auto column : kCsvColumns) {
    if (!first) out += ',';
    first = false;
    out += column;
  }
  out += "\r\n";
  return out;
}

void append_csv_rows(std::string& out, const std::vector<store::UsageRow>& rows) {
  for (const auto& row : rows) {
    const json::object record = usage::record_json(row, false);
    bool first = true;
    for (auto column : kCsvColumns) {
      if (!first) out += ',';
      first = false;
      append_csv_field(out, csv_value(record, column));
    }
    out += "\r\n";
  }
}

void append_ndjson_rows(std::string& out, const std::vector<store::UsageRow>& rows) {
  for (const auto& row : rows) {
    out += json::serialize(usage::record_json(row, false));
    out += '\n';
  }
}

// What an accepted export request asks for.
struct ExportPlan {
  store::UsageQuery query;
  bool csv = true;
};

Result<ExportPlan> plan_export(Context& ctx, const http::Request& req) {
  auto caller = require_permission(ctx, req, "report:read");
  if (!caller) return std::unexpected(caller.error());
  const std::string format = req.query_param("format").value_or("csv");
  if (format != "csv" && format != "ndjson")
    return fail(ErrorCode::validation_error, "query parameter 'format' must be one of: csv, ndjson");
  auto q = usage_query_of(req, *caller);
  if (!q) return std::unexpected(q.error());
  q->newest_first = req.query_param("order").value_or("asc") == "desc";
  q->with_aggregates = false;
  q->with_total = false;  // each page would count every matching row again
  q->limit = kExportPageRows;
  q->offset = 0;
  return ExportPlan{std::move(*q), format == "csv"};
}

boost::asio::awaitable<void> export_usage(Context& ctx, http::Exchange& exchange) {
  std::optional<ExportPlan> plan;
  http::Response refused = co_await exchange.run_blocking([&]() -> http::Response {
    auto planned = plan_export(ctx, exchange.request());
    if (!planned) return respond(planned.error());
    plan = std::move(*planned);
    return http::Response::no_content();
  });
  if (!plan) {
    co_await exchange.respond(std::move(refused));
    co_return;
  }

  const std::string stamp = clock::iso_utc(clock::now_ms()).substr(0, 10);
  std::vector<http::Header> headers{
      {"content-type", plan->csv ? "text/csv; charset=utf-8" : "application/x-ndjson"},
      {"content-disposition",
       "attachment; filename=\"routerly-usage-" + stamp + (plan->csv ? ".csv\"" : ".ndjson\"")}};
  const std::string head = plan->csv ? csv_header() : std::string();
  if (!co_await exchange.start_stream(200, std::move(headers), head)) co_return;

  std::string chunk;
  for (;;) {
    Result<store::UsageQueryResult> page = fail(ErrorCode::internal_error, "not read");
    co_await exchange.run_blocking([&] {
      page = ctx.store.query_usage(plan->query);
      return http::Response::no_content();
    });
    if (!page) {
      spdlog::error("usage export stopped: {}", page.error().message);
      co_return;  // no closing chunk: the download is visibly incomplete
    }
    chunk.clear();
    if (plan->csv) {
      append_csv_rows(chunk, page->rows);
    } else {
      append_ndjson_rows(chunk, page->rows);
    }
    if (!chunk.empty() && !co_await exchange.write(chunk)) co_return;  // the client left
    if (static_cast<int64_t>(page->rows.size()) < kExportPageRows || !page->last) break;
    plan->query.after = page->last;
  }
  co_await exchange.finish();
}

}  // namespace

void register_usage_export_route(http::Router& r, Context& ctx) {
  r.add_async("GET", "/api/usage/export", [&ctx](http::Exchange& exchange) { return export_usage(ctx, exchange); });
}

}  // namespace routerly::admin
