#pragma once
// Request features for the routing policies (SPEC §5.3–§5.5), and the OpenAI-shaped view of
// Anthropic Messages and Responses requests that routing looks at (SPEC §1.4.3 step 1).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "routing/policy.hpp"

namespace routerly::routing {

// Anthropic Messages request → `{model, messages:[{role, content}], tools?, max_tokens?}` for
// routing only: `system` (string or text blocks) becomes a leading system message; text
// blocks stay text parts, image blocks become image_url parts (so `capability` sees vision),
// other blocks (tool_use, tool_result, documents…) become text parts holding their JSON.
boost::json::object openai_view_of_messages(const boost::json::object& request);

// Responses request → the same view: `instructions` → system message, `history` items (from
// previous_response_id) then `input` (a string = one user message); input_text/output_text →
// text parts, input_image → image_url parts; function_call(_output) items → text of their JSON;
// tools kept; text.format.type json_object → response_format.
boost::json::object openai_view_of_responses(const boost::json::object& request,
                                             const boost::json::array* history = nullptr);

// Features of an OpenAI-shaped chat request.
RequestFeatures extract_features(const boost::json::object& chat_request);

}  // namespace routerly::routing
