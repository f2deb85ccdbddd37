#pragma once
// The usage table's columns as both backends name and order them, and the reading of a
// selected row back into a UsageRow. `Row` is a backend's view of one result row with text(i),
// integer(i) (booleans read as 1 or 0), real(i) and is_null(i), columns 0-based.
#include <boost/json/parse.hpp>
#include <string_view>

#include "store/usage_rows.hpp"

namespace routerly::store {

// Every column except `trace`, in the order read_usage_columns expects; `trace` may follow.
inline constexpr std::string_view kUsageColumns =
    "id, timestamp_ms, project_id, project_slug, token_id, model_id, provider, type, call_type, "
    "input_tokens, output_tokens, cached_input_tokens, cache_creation_input_tokens, tokens_estimated, "
    "cost, cost_input, cost_output, price_input, price_output, latency_ms, ttft_ms, stream, outcome, "
    "error_message, trace_id";
inline constexpr int kUsageColumnCount = 25;

// Reads columns [0, kUsageColumnCount); the trace column, when selected right after them, is
// parsed too (an unparsable trace reads as empty).
template <typename Row>
UsageRow read_usage_columns(const Row& row, bool with_trace) {
  UsageRow r;
  r.id = row.text(0);
  r.timestamp_ms = row.integer(1);
  r.project_id = row.text(2);
  r.project_slug = row.text(3);
  r.token_id = row.text(4);
  r.model_id = row.text(5);
  r.provider = row.text(6);
  r.type = row.text(7);
  r.call_type = row.text(8);
  r.input_tokens = row.integer(9);
  r.output_tokens = row.integer(10);
  r.cached_input_tokens = row.integer(11);
  r.cache_creation_input_tokens = row.integer(12);
  r.tokens_estimated = row.integer(13) != 0;
  r.cost = row.real(14);
  r.cost_input = row.real(15);
  r.cost_output = row.real(16);
  r.price_input = row.real(17);
  r.price_output = row.real(18);
  r.latency_ms = row.integer(19);
  if (!row.is_null(20)) r.ttft_ms = row.integer(20);
  r.stream = row.integer(21) != 0;
  r.outcome = row.text(22);
  r.error_message = row.text(23);
  r.trace_id = row.text(24);
  if (with_trace) {
    boost::system::error_code ec;
    auto value = boost::json::parse(row.text(kUsageColumnCount), ec);
    if (!ec && value.is_array()) r.trace = std::move(value.as_array());
  }
  return r;
}

// The columns a usage rollup sums (usage_rollup_plan.hpp), in the order
// read_rollup_source_columns expects.
inline constexpr std::string_view kRollupSourceColumns =
    "timestamp_ms, project_id, model_id, call_type, outcome, token_id, type, input_tokens,"
    " output_tokens, cached_input_tokens, cost, latency_ms";

// Reads kRollupSourceColumns starting at column `first`; the rest of the UsageRow stays default.
template <typename Row>
UsageRow read_rollup_source_columns(const Row& row, int first) {
  UsageRow r;
  r.timestamp_ms = row.integer(first);
  r.project_id = row.text(first + 1);
  r.model_id = row.text(first + 2);
  r.call_type = row.text(first + 3);
  r.outcome = row.text(first + 4);
  r.token_id = row.text(first + 5);
  r.type = row.text(first + 6);
  r.input_tokens = row.integer(first + 7);
  r.output_tokens = row.integer(first + 8);
  r.cached_input_tokens = row.integer(first + 9);
  r.cost = row.real(first + 10);
  r.latency_ms = row.integer(first + 11);
  return r;
}

}  // namespace routerly::store
