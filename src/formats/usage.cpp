#include "formats/usage.hpp"

#include "formats/json_fields.hpp"

#include <algorithm>

namespace routerly::formats {

using detail::int_or_zero;
using detail::object_field;
namespace json = boost::json;

TokenUsage usage_from_openai(const json::object& usage) {
  TokenUsage u;
  u.input = int_or_zero(usage, "prompt_tokens");
  u.output = int_or_zero(usage, "completion_tokens");
  if (const json::object* details = object_field(usage, "prompt_tokens_details")) {
    u.cached_input = int_or_zero(*details, "cached_tokens");
    u.cache_creation = int_or_zero(*details, "cache_creation_tokens");
  }
  return u;
}

TokenUsage usage_from_anthropic(const json::object& usage) {
  TokenUsage u;
  u.cached_input = int_or_zero(usage, "cache_read_input_tokens");
  u.cache_creation = int_or_zero(usage, "cache_creation_input_tokens");
  u.input = int_or_zero(usage, "input_tokens") + u.cached_input + u.cache_creation;
  u.output = int_or_zero(usage, "output_tokens");
  return u;
}

TokenUsage usage_from_responses(const json::object& usage) {
  TokenUsage u;
  u.input = int_or_zero(usage, "input_tokens");
  u.output = int_or_zero(usage, "output_tokens");
  if (const json::object* details = object_field(usage, "input_tokens_details")) {
    u.cached_input = int_or_zero(*details, "cached_tokens");
  }
  return u;
}

std::optional<TokenUsage> openai_usage_in(const json::value& body) {
  const json::object* obj = body.if_object();
  const json::object* usage = obj ? object_field(*obj, "usage") : nullptr;
  if (!usage) return std::nullopt;
  return usage_from_openai(*usage);
}

std::optional<TokenUsage> anthropic_usage_in(const json::value& body) {
  const json::object* obj = body.if_object();
  const json::object* usage = obj ? object_field(*obj, "usage") : nullptr;
  if (!usage) return std::nullopt;
  return usage_from_anthropic(*usage);
}

void accumulate_anthropic_stream_usage(TokenUsage& usage, const json::value& event) {
  const json::object* obj = event.if_object();
  if (!obj) return;
  std::string_view type = detail::string_or(*obj, "type");
  if (type == "message_start") {
    const json::object* message = object_field(*obj, "message");
    const json::object* u = message ? object_field(*message, "usage") : nullptr;
    if (!u) return;
    TokenUsage start = usage_from_anthropic(*u);
    usage.input = start.input;
    usage.cached_input = start.cached_input;
    usage.cache_creation = start.cache_creation;
    usage.output = std::max(usage.output, start.output);
  } else if (type == "message_delta") {
    const json::object* u = object_field(*obj, "usage");
    if (!u) return;
    if (detail::field(*u, "output_tokens")) usage.output = int_or_zero(*u, "output_tokens");
    // Newer API versions repeat the (cumulative) input counts here; older ones send only output.
    if (detail::field(*u, "input_tokens") || detail::field(*u, "cache_read_input_tokens") ||
        detail::field(*u, "cache_creation_input_tokens")) {
      TokenUsage delta = usage_from_anthropic(*u);
      if (delta.input > 0) {
        usage.input = delta.input;
        usage.cached_input = delta.cached_input;
        usage.cache_creation = delta.cache_creation;
      }
    }
  }
}

json::object openai_usage_json(const TokenUsage& usage) {
  json::object out;
  out["prompt_tokens"] = usage.input;
  out["completion_tokens"] = usage.output;
  out["total_tokens"] = usage.input + usage.output;
  if (usage.cached_input > 0 || usage.cache_creation > 0) {
    json::object details;
    if (usage.cached_input > 0) details["cached_tokens"] = usage.cached_input;
    if (usage.cache_creation > 0) details["cache_creation_tokens"] = usage.cache_creation;
    out["prompt_tokens_details"] = std::move(details);
  }
  return out;
}

json::object anthropic_usage_json(const TokenUsage& usage) {
  json::object out;
  out["input_tokens"] = std::max<int64_t>(0, usage.input - usage.cached_input - usage.cache_creation);
  if (usage.cache_creation > 0) out["cache_creation_input_tokens"] = usage.cache_creation;
  if (usage.cached_input > 0) out["cache_read_input_tokens"] = usage.cached_input;
  out["output_tokens"] = usage.output;
  return out;
}

json::object responses_usage_json(const TokenUsage& usage) {
  json::object out;
  out["input_tokens"] = usage.input;
  out["input_tokens_details"] = json::object{{"cached_tokens", usage.cached_input}};
  out["output_tokens"] = usage.output;
  out["output_tokens_details"] = json::object{{"reasoning_tokens", 0}};
  out["total_tokens"] = usage.input + usage.output;
  return out;
}

}  // namespace routerly::formats
