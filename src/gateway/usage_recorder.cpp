#include "gateway/usage_recorder.hpp"

#include <cmath>

#include "common/ids.hpp"
#include "gateway/trace.hpp"
#include "usage/cost.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

int64_t code_points(std::string_view s) {
  int64_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool is_text_key(std::string_view key) {
  return key == "content" || key == "text" || key == "system" || key == "instructions" || key == "input" ||
         key == "arguments" || key == "thinking" || key == "output";
}

// Keys whose strings label things instead of carrying text.
bool is_label_key(std::string_view key) {
  return key == "type" || key == "role" || key == "id" || key == "status" || key == "call_id" ||
         key == "object" || key == "model" || key == "tool_use_id" || key == "tool_call_id" ||
         key == "finish_reason" || key == "stop_reason";
}

int64_t chars_in(const json::value& v, bool text_context) {
  switch (v.kind()) {
    case json::kind::string:
      return text_context ? code_points(v.get_string()) : 0;
    case json::kind::array: {
      int64_t n = 0;
      for (const auto& item : v.get_array()) n += chars_in(item, text_context);
      return n;
    }
    case json::kind::object: {
      int64_t n = 0;
      for (const auto& [key, child] : v.get_object()) {
        // Images and encoded files are not text.
        if (key == "image_url" || key == "source" || key == "file_data" || key == "image") continue;
        n += chars_in(child, is_text_key(key) || (text_context && !is_label_key(key)));
      }
      return n;
    }
    default:
      return 0;
  }
}

}  // namespace

int64_t estimate_tokens(int64_t chars) {
  return chars <= 0 ? 0 : (chars + 3) / 4;
}

int64_t text_chars(const json::value& body) {
  return chars_in(body, false);
}

int64_t output_text_chars(const json::value& value) {
  return chars_in(value, true);
}

std::string_view api_type_name(Api api) {
  switch (api) {
    case Api::chat:
      return "chat";
    case Api::messages:
      return "messages";
    case Api::responses:
      return "responses";
  }
  return "chat";
}

store::UsageRow caller_usage_row(const Call& call, int64_t now_ms) {
  store::UsageRow row;
  row.id = ids::uuid_v7();
  row.timestamp_ms = now_ms;
  row.project_id = call.caller.project != nullptr ? call.caller.project->id : std::string();
  row.project_slug = call.caller.project != nullptr ? call.caller.project->slug : std::string();
  row.token_id = call.caller.token != nullptr ? call.caller.token->token_id : std::string();
  return row;
}

namespace {

// build_usage_row with the trace given (a copy of the call's, or the call's own).
store::UsageRow usage_row_with(const Call& call, const Served& served, int64_t now_ms, json::array trace) {
  store::UsageRow row = caller_usage_row(call, now_ms);
  row.type = std::string(api_type_name(call.api));
  row.stream = call.stream;
  row.trace_id = call.trace_id;
  row.latency_ms = std::max<int64_t>(0, now_ms - call.start_ms);
  row.ttft_ms = served.ttft_ms;
  row.outcome = served.outcome;
  row.error_message = served.error_message;

  if (served.candidate != nullptr) {
    row.model_id = served.candidate->target.model_id;
    row.provider = served.candidate->target.provider;
  }

  // Tokens are spent once an upstream answered; a failure before that costs nothing.
  if (served.answered) {
    formats::TokenUsage tokens;
    if (served.usage) {
      tokens = *served.usage;
    } else {
      tokens.input = estimate_tokens(call.input_chars);
      tokens.output = estimate_tokens(served.output_chars);
      row.tokens_estimated = true;
    }
    row.input_tokens = tokens.input;
    row.output_tokens = tokens.output;
    row.cached_input_tokens = tokens.cached_input;
    row.cache_creation_input_tokens = tokens.cache_creation;
    if (served.candidate != nullptr && served.candidate->model != nullptr) {
      usage::Prices prices = usage::prices_of_model(*served.candidate->model);
      usage::Cost cost = usage::compute_cost(
          prices, usage::Tokens{tokens.input, tokens.output, tokens.cached_input, tokens.cache_creation});
      row.cost = cost.total;
      row.cost_input = cost.input;
      row.cost_output = cost.output;
      row.price_input = cost.price_input;
      row.price_output = cost.price_output;
    }
  }

  row.trace = std::move(trace);
  if (row.outcome == "success") {
    row.trace.emplace_back(model_success_entry(row));
  } else if (served.candidate != nullptr && !served.answered) {
    // The failed attempt already has its model:error entry (added by the candidate loop).
  } else {
    json::object details{{"modelId", row.model_id}, {"error", row.error_message}, {"latencyMs", row.latency_ms}};
    row.trace.emplace_back(trace_entry("response", "model:error", std::move(details)));
  }
  return row;
}

}  // namespace

store::UsageRow build_usage_row(const Call& call, const Served& served, int64_t now_ms) {
  return usage_row_with(call, served, now_ms, call.trace);
}

store::UsageRow build_last_usage_row(Call& call, const Served& served, int64_t now_ms) {
  json::array trace = std::move(call.trace);
  call.trace.clear();  // moved-from: valid; made explicitly empty
  return usage_row_with(call, served, now_ms, std::move(trace));
}

json::object model_success_entry(const store::UsageRow& row) {
  double seconds = static_cast<double>(row.latency_ms) / 1000.0;
  int64_t per_sec =
      row.latency_ms > 0 ? std::llround(static_cast<double>(row.input_tokens + row.output_tokens) / seconds) : 0;
  json::object details{{"modelId", row.model_id},
                       {"inputTokens", row.input_tokens},
                       {"cachedInputTokens", row.cached_input_tokens},
                       {"outputTokens", row.output_tokens},
                       {"latencyMs", row.latency_ms},
                       {"ttftMs", row.ttft_ms ? json::value(*row.ttft_ms) : json::value(nullptr)},
                       {"tokensPerSec", per_sec},
                       {"inputCostUsd", row.cost_input},
                       {"outputCostUsd", row.cost_output},
                       {"totalCostUsd", row.cost},
                       {"inputPerMillion", row.price_input},
                       {"outputPerMillion", row.price_output}};
  if (row.tokens_estimated) details["tokensEstimated"] = true;
  return trace_entry("response", "model:success", std::move(details));
}

}  // namespace routerly::gateway
