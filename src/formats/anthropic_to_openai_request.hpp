#pragma once
// Anthropic Messages request → Chat Completions request (SPEC §7.6 with the P16 extensions).
#include "common/error.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace routerly::formats {

// A provider-neutral chat request; provider shaping (§7.2: max_completion_tokens for openai,
// stream_options, ollama's think flag) is applied afterwards by the adapter.
// * system (string or text blocks, joined by \n) → leading system message;
// * user text/image blocks → content (a plain string when every block is text, joined by \n;
//   images as image_url parts, base64 sources as data URIs; base64 documents as file parts);
// * user tool_result blocks → `role:"tool"` messages placed before that turn's other content;
// * assistant text → content, tool_use → tool_calls (input serialized), thinking dropped;
// * tools → function tools (input_schema → parameters); tool_choice auto/any/tool/none →
//   "auto"/"required"/{function}/"none"; disable_parallel_tool_use → parallel_tool_calls:false;
// * max_tokens, temperature, top_p, stream 1:1; stop_sequences → stop; metadata.user_id → user.
// validation_error naming the field for malformed input.
Result<boost::json::object> anthropic_to_openai_request(const boost::json::object& messages_request,
                                                        std::string_view model);

}  // namespace routerly::formats
