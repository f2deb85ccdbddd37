#pragma once
// Usage records as the store keeps them (SPEC §4.6 + §00 P11, P18) and the query over them.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routerly::store {

struct UsageRow {
  std::string id;            // uuid v7
  int64_t timestamp_ms = 0;  // end of the call
  std::string project_id, project_slug, token_id;
  std::string model_id, provider;
  std::string type = "chat";             // chat | responses | messages | embeddings
  std::string call_type = "completion";  // completion | routing
  int64_t input_tokens = 0, output_tokens = 0, cached_input_tokens = 0, cache_creation_input_tokens = 0;
  bool tokens_estimated = false;  // true when the provider reported no usage
  double cost = 0, cost_input = 0, cost_output = 0, price_input = 0, price_output = 0;
  int64_t latency_ms = 0;
  std::optional<int64_t> ttft_ms;
  bool stream = false;
  std::string outcome = "success";  // success | error | timeout | budget_exceeded
  std::string error_message;        // empty = none
  std::string trace_id;
  boost::json::array trace;  // TraceEntry list (SPEC §4.7)
};

// What the routing history keeps of a row. The views are valid during the visit only.
struct UsageSample {
  int64_t timestamp_ms = 0;
  int64_t latency_ms = 0;
  std::string_view model_id, project_id, outcome;
};

struct UsageFilter {
  std::optional<int64_t> from_ms, to_ms;  // [from, to)
  std::string project_id;                 // exact id; empty = any
  // When set, only rows of these projects (an empty list matches nothing): the projects a
  // caller without a global project permission may read.
  std::optional<std::vector<std::string>> project_in;
  std::string model_id, outcome, type, token_id, call_type;
};

// A row's place in the (timestamp_ms, rowid) order every page follows: where a walk resumes.
struct UsageCursor {
  int64_t timestamp_ms = 0;
  int64_t rowid = 0;
};

struct UsageQuery {
  UsageFilter filter;
  int64_t limit = 100;
  int64_t offset = 0;
  // Keyset paging: only rows strictly after this one in the query's order (offset still
  // applies after it). Cheap at any depth, unlike a large offset.
  std::optional<UsageCursor> after;
  bool newest_first = true;
  std::string timeline_bucket = "day";  // "hour" or "day" (UTC)
  std::string series_bucket = "day";    // "hour" or "day" (UTC)
  bool with_aggregates = true;          // false: only rows and total_rows
  bool with_total = true;               // with_aggregates false: total_rows too (the export skips it)
};

struct ModelAggregate {
  int64_t calls = 0, input_tokens = 0, output_tokens = 0, cached_input_tokens = 0, errors = 0;
  double cost = 0;
};

// Per project over all filtered rows (all outcomes); slug is the one on the newest row.
struct ProjectAggregate {
  std::string slug;
  int64_t calls = 0, input_tokens = 0, output_tokens = 0, errors = 0;
  double cost = 0;
};

// One time bucket (UTC hour or day) over all filtered rows; cost covers all outcomes.
struct SeriesPoint {
  std::string bucket;  // YYYY-MM-DDTHH or YYYY-MM-DD
  int64_t calls = 0, errors = 0, input_tokens = 0, output_tokens = 0;
  double cost = 0;
};

struct UsageSummary {
  int64_t total_calls = 0, success_calls = 0, routing_calls = 0, completion_calls = 0;
  double total_cost = 0, routing_cost = 0, completion_cost = 0;  // success rows only
  double avg_latency_ms = 0;
  // Percentiles of latency_ms over all filtered rows, each the midpoint of its log-spaced
  // histogram bucket (within ~7.5 % of the exact value); 0 when there are no rows.
  double latency_p50_ms = 0, latency_p95_ms = 0, latency_p99_ms = 0;
};

struct UsageQueryResult {
  UsageSummary summary;
  std::map<std::string, ModelAggregate> by_model;
  std::vector<std::pair<std::string, double>> timeline;  // bucket key → success cost, ascending
  std::map<std::string, ProjectAggregate> by_project;    // by project id
  std::vector<SeriesPoint> series;                       // every bucket with rows, ascending
  std::vector<UsageRow> rows;                            // the page, without traces
  std::optional<UsageCursor> last;                       // the page's last row, if any
  int64_t total_rows = 0;
};

}  // namespace routerly::store
