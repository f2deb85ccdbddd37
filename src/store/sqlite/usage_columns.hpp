#pragma once
// The usage table's column list and the row ⇄ statement mapping shared by the usage files.
#include <string_view>

#include "store/sqlite/statement.hpp"
#include "store/usage_rows.hpp"

namespace routerly::store::sqlite {

// Every column except `trace`, in the order read_usage_row expects; `trace` may follow.
inline constexpr std::string_view kUsageColumns =
    "id, timestamp_ms, project_id, project_slug, token_id, model_id, provider, type, call_type, "
    "input_tokens, output_tokens, cached_input_tokens, cache_creation_input_tokens, tokens_estimated, "
    "cost, cost_input, cost_output, price_input, price_output, latency_ms, ttft_ms, stream, outcome, "
    "error_message, trace_id";
inline constexpr int kUsageColumnCount = 25;

// Reads columns [0, kUsageColumnCount) of the current row; the trace column, when selected
// right after them, is parsed too (an unparsable trace reads as empty).
UsageRow read_usage_row(const Statement& row, bool with_trace);

}  // namespace routerly::store::sqlite
