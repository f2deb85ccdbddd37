// The API shape of one usage record (SPEC §4.6 + §00 P18). Optional members are omitted
// rather than null, as in §4.6.
#include "usage/record_json.hpp"

#include <cmath>

#include "common/clock.hpp"

namespace routerly::usage {

boost::json::object record_json(const store::UsageRow& row, bool with_trace) {
  boost::json::object o;
  o["id"] = row.id;
  o["timestamp"] = clock::iso_utc(row.timestamp_ms);
  o["projectId"] = row.project_id;
  o["projectSlug"] = row.project_slug;
  o["tokenId"] = row.token_id;
  o["modelId"] = row.model_id;
  o["provider"] = row.provider;
  o["type"] = row.type;
  o["inputTokens"] = row.input_tokens;
  o["outputTokens"] = row.output_tokens;
  if (row.cached_input_tokens > 0) o["cachedInputTokens"] = row.cached_input_tokens;
  if (row.cache_creation_input_tokens > 0) o["cacheCreationInputTokens"] = row.cache_creation_input_tokens;
  o["tokensEstimated"] = row.tokens_estimated;
  o["cost"] = row.cost;
  o["costInput"] = row.cost_input;
  o["costOutput"] = row.cost_output;
  o["priceInput"] = row.price_input;
  o["priceOutput"] = row.price_output;
  o["latencyMs"] = row.latency_ms;
  if (row.ttft_ms) o["ttftMs"] = *row.ttft_ms;
  if (row.latency_ms > 0) {
    const double per_second = static_cast<double>(row.input_tokens + row.output_tokens) /
                              (static_cast<double>(row.latency_ms) / 1000.0);
    o["tokensPerSec"] = static_cast<int64_t>(std::llround(per_second));
  }
  o["stream"] = row.stream;
  o["outcome"] = row.outcome;
  if (!row.error_message.empty()) o["errorMessage"] = row.error_message;
  o["callType"] = row.call_type;
  o["traceId"] = row.trace_id;
  if (with_trace) o["trace"] = row.trace;
  return o;
}

}  // namespace routerly::usage
