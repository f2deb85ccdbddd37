#pragma once
// The local answer of POST /v1/messages/count_tokens (SPEC §00 P15) when the routed model
// does not speak Anthropic: the o200k BPE count of what the model would read. Pure.
#include <boost/json/object.hpp>
#include <cstdint>
#include <vector>

#include "common/error.hpp"
#include "formats/tokenizer.hpp"

namespace routerly::gateway {

// Framing tokens per message and for the reply priming, as OpenAI chat models count them.
inline constexpr int64_t kTokensPerMessage = 3;
inline constexpr int64_t kReplyPrimingTokens = 3;

struct TokenCount {
  int64_t input_tokens = 0;
  bool estimated = false;  // true: no tokenizer, ceil(code points / 4)
};

// Counts the `system` prompt (string or text blocks), every message's content (strings, text,
// thinking, tool_use name + compact JSON input, tool_result content) plus framing, and the
// `tools` definitions as compact JSON. Images and documents count 0. validation_error (naming
// the field) when `messages` is not an array. `tokenizer` may be null (→ estimate).
Result<TokenCount> count_message_tokens(const boost::json::object& body, const formats::Tokenizer* tokenizer);

}  // namespace routerly::gateway
