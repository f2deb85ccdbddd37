#pragma once
// Chat Completions request → Anthropic Messages request (SPEC §7.3 with the P16 extensions).
#include "common/error.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace routerly::formats {

struct AnthropicRequestOptions {
  std::string model;      // the upstream model id sent as `model`
  bool thinking = false;  // the model's capabilities.thinking: enables extended thinking on every call
};

// Mapping (beyond §7.3's table):
// * every `system`/`developer` message is lifted into `system` in order (strings only → one string
//   joined by blank lines; any part array → text blocks keeping extra fields such as cache_control);
// * tool messages → `tool_result` blocks, consecutive ones merged into one user message;
// * assistant tool_calls → `tool_use` blocks (arguments parsed, `{}` when not a JSON object);
// * parts: text (extra fields kept), image_url (data URI → base64 source, else url source),
//   file with a data URI → document block; empty text parts are dropped (Anthropic rejects them);
// * max_tokens = max_completion_tokens ?? max_tokens ?? 4096; temperature (clamped to Anthropic's
//   0..1), top_p; stop → stop_sequences; tools/tool_choice/parallel_tool_calls; user → metadata.user_id;
// * thinking: `thinking:{type:"enabled",budget_tokens:10000}`, max_tokens ≥ 16000, and temperature /
//   top_p are left out because Anthropic refuses them with thinking.
// validation_error naming the field for malformed input.
Result<boost::json::object> openai_to_anthropic_request(const boost::json::object& chat_request,
                                                        const AnthropicRequestOptions& options);

}  // namespace routerly::formats
