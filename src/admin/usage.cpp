// Usage queries: /api/usage, /api/usage/{id}, /api/traces/{traceId} (report:read).
// Usage recording arrives with the proxy; until then the store holds no records, so the
// list is empty and single-record reads answer 404.
#include <boost/json.hpp>
#include <charconv>
#include <limits>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

constexpr int64_t kDefaultPageSize = 100;
constexpr int64_t kMaxPageSize = 200;

// Optional integer query parameter within [min, max]; 400 naming it otherwise.
Result<std::optional<int64_t>> query_integer(const http::Request& req, std::string_view name, int64_t min,
                                             int64_t max) {
  auto raw = req.query_param(name);
  if (!raw) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || end != raw->data() + raw->size() || raw->empty() || value < min || value > max)
    return fail(ErrorCode::validation_error, "query parameter '" + std::string(name) +
                                                 "' must be an integer from " + std::to_string(min) + " to " +
                                                 std::to_string(max));
  return value;
}

http::Response list_usage(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "report:read");
  if (!caller) return respond(caller.error());
  constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();
  auto page = query_integer(req, "page", 1, kUnbounded);
  if (!page) return respond(page.error());
  auto page_size = query_integer(req, "pageSize", 1, kMaxPageSize);
  if (!page_size) return respond(page_size.error());
  for (std::string_view name : {"limit", "offset"}) {
    auto v = query_integer(req, name, name == "limit" ? 1 : 0, kUnbounded);
    if (!v) return respond(v.error());
  }
  json::object summary{{"totalCost", 0},   {"totalCalls", 0},    {"successCalls", 0},
                       {"errorCalls", 0},  {"routingCalls", 0},  {"completionCalls", 0},
                       {"routingCost", 0}, {"completionCost", 0}};
  // `page` is clamped to totalPages, which is 1 while there are no records.
  json::object pagination{{"page", 1},
                          {"pageSize", page_size->value_or(kDefaultPageSize)},
                          {"totalRecords", 0},
                          {"totalPages", 1}};
  json::object out{{"summary", std::move(summary)},
                   {"byModel", json::object()},
                   {"timeline", json::array()},
                   {"records", json::array()},
                   {"pagination", std::move(pagination)}};
  return http::Response::json(200, out);
}

http::Response get_record(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "report:read");
  if (!caller) return respond(caller.error());
  return respond({ErrorCode::not_found, "usage record '" + std::string(req.param("id")) + "' not found"});
}

http::Response get_trace(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "report:read");
  if (!caller) return respond(caller.error());
  return respond({ErrorCode::not_found, "trace '" + std::string(req.param("traceId")) + "' not found"});
}

}  // namespace

void register_usage_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/usage", [&ctx](http::Request& req) { return list_usage(ctx, req); });
  r.add("GET", "/api/usage/{id}", [&ctx](http::Request& req) { return get_record(ctx, req); });
  r.add("GET", "/api/traces/{traceId}", [&ctx](http::Request& req) { return get_trace(ctx, req); });
}

}  // namespace routerly::admin
