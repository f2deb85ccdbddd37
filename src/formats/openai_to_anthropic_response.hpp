#pragma once
// chat.completion → Anthropic Messages response (SPEC §7.6 with the P16 extensions).
#include "common/error.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string_view>

namespace routerly::formats {

// * content: a text block (kept even when empty, unless the reply is only tool calls), then one
//   tool_use block per tool call (arguments parsed, `{}` when not a JSON object);
// * stop_reason via anthropic_stop_reason(finish_reason), stop_sequence null;
// * usage via anthropic_usage_json (input_tokens excludes cached tokens, which become
//   cache_read_input_tokens);
// * `id` = response id, else `fallback_id`; `model` = response model, else `fallback_model`.
// upstream_error for a body that is not a completion (an `error` body reports its message).
Result<boost::json::object> openai_to_anthropic_response(const boost::json::value& completion,
                                                         std::string_view fallback_id,
                                                         std::string_view fallback_model);

}  // namespace routerly::formats
