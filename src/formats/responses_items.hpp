#pragma once
// Output items of the Responses API shared by the non-stream and stream translators.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace routerly::formats::detail {

// Item ids derive from the response id so a response's items are stable and traceable:
// resp_X → msg_X (first message), msg_X_<n> (later ones), fc_X_<n> (n-th function call).
std::string response_id_suffix(std::string_view response_id);
std::string message_item_id(std::string_view suffix, std::size_t ordinal);
std::string function_call_item_id(std::string_view suffix, std::size_t ordinal);

boost::json::object output_text_part(std::string_view text);
// A message item; `with_text` false gives the empty content list of output_item.added.
boost::json::object message_item(std::string_view id, std::string_view status, bool with_text,
                                 std::string_view text);
boost::json::object function_call_item(std::string_view id, std::string_view status, std::string_view call_id,
                                       std::string_view name, std::string_view arguments);

// A finish_reason that cuts the output short (length, content_filter).
inline bool is_truncation(std::string_view finish_reason) {
  return finish_reason == "length" || finish_reason == "content_filter";
}
// Sets `status` ("completed", or "incomplete" with incomplete_details.reason max_output_tokens /
// content_filter) from a chat finish_reason.
void apply_finish_reason(boost::json::object& response, std::string_view finish_reason);

}  // namespace routerly::formats::detail
