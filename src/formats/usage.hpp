#pragma once
// Token counts as the gateway records them, whatever wire format they came from.
// `input` always includes cached and cache-creation tokens (SPEC §7.7, D13), so
// plain input = input − cached_input − cache_creation.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>

namespace routerly::formats {

struct TokenUsage {
  int64_t input = 0;
  int64_t output = 0;
  int64_t cached_input = 0;
  int64_t cache_creation = 0;
  bool operator==(const TokenUsage&) const = default;
};

// OpenAI `usage` (completion or chunk): prompt_tokens, completion_tokens,
// prompt_tokens_details.{cached_tokens, cache_creation_tokens}.
TokenUsage usage_from_openai(const boost::json::object& usage);
// Anthropic `usage`: input = input_tokens + cache_read_input_tokens + cache_creation_input_tokens.
TokenUsage usage_from_anthropic(const boost::json::object& usage);
// Responses API `usage`: input_tokens (cached included), input_tokens_details.cached_tokens, output_tokens.
TokenUsage usage_from_responses(const boost::json::object& usage);

// The `usage` object of an OpenAI response or chunk body, if it carries one.
std::optional<TokenUsage> openai_usage_in(const boost::json::value& body);
// The `usage` of an Anthropic message body, if it carries one.
std::optional<TokenUsage> anthropic_usage_in(const boost::json::value& body);
// Folds one native Anthropic stream event (`message_start`, `message_delta`) into `usage`;
// other events leave it unchanged. message_delta counts are cumulative, so they replace.
void accumulate_anthropic_stream_usage(TokenUsage& usage, const boost::json::value& event);

// §7.4 shape: prompt/completion/total tokens; prompt_tokens_details only with keys that are > 0.
boost::json::object openai_usage_json(const TokenUsage& usage);
// Anthropic shape: input_tokens excludes cache reads/creation, which get their own keys when > 0.
boost::json::object anthropic_usage_json(const TokenUsage& usage);
// Responses API shape: input/output/total tokens with their details objects.
boost::json::object responses_usage_json(const TokenUsage& usage);

}  // namespace routerly::formats
