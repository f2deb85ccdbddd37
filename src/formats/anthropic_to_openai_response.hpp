#pragma once
// Anthropic Messages response → chat.completion (SPEC §7.4 with the P16 extensions).
#include "common/error.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string_view>

namespace routerly::formats {

// * content = every text block concatenated (null when the reply is only tool calls);
// * tool_use blocks → message.tool_calls[{id,type:"function",function:{name,arguments:JSON(input)}}];
// * thinking blocks → message.thinking (non-standard key, as the chat stream's delta.thinking);
// * finish_reason via openai_finish_reason(stop_reason); usage via openai_usage_json;
// * `model` = response.model, else `fallback_model`; `created` = the given epoch seconds.
// upstream_error for a body that is not a message (an `error` body reports its message).
Result<boost::json::object> anthropic_to_openai_response(const boost::json::value& message, int64_t created,
                                                         std::string_view fallback_model);

}  // namespace routerly::formats
