#include "formats/responses_items.hpp"

#include <boost/json/array.hpp>

namespace routerly::formats::detail {

namespace json = boost::json;

std::string response_id_suffix(std::string_view response_id) {
  if (response_id.starts_with("resp_")) response_id.remove_prefix(5);
  return std::string(response_id);
}

std::string message_item_id(std::string_view suffix, std::size_t ordinal) {
  std::string id = "msg_" + std::string(suffix);
  if (ordinal > 0) id += "_" + std::to_string(ordinal);
  return id;
}

std::string function_call_item_id(std::string_view suffix, std::size_t ordinal) {
  return "fc_" + std::string(suffix) + "_" + std::to_string(ordinal);
}

json::object output_text_part(std::string_view text) {
  return json::object{{"type", "output_text"}, {"text", text}, {"annotations", json::array{}}};
}

json::object message_item(std::string_view id, std::string_view status, bool with_text,
                          std::string_view text) {
  json::array content;
  if (with_text) content.push_back(output_text_part(text));
  return json::object{{"id", id},
                      {"type", "message"},
                      {"status", status},
                      {"role", "assistant"},
                      {"content", std::move(content)}};
}

json::object function_call_item(std::string_view id, std::string_view status, std::string_view call_id,
                                std::string_view name, std::string_view arguments) {
  return json::object{{"id", id},     {"type", "function_call"}, {"status", status}, {"call_id", call_id},
                      {"name", name}, {"arguments", arguments}};
}

// Sets status / incomplete_details from a chat finish_reason.
void apply_finish_reason(json::object& response, std::string_view finish_reason) {
  if (is_truncation(finish_reason)) {
    response["status"] = "incomplete";
    response["incomplete_details"] =
        json::object{{"reason", finish_reason == "length" ? "max_output_tokens" : "content_filter"}};
  } else {
    response["status"] = "completed";
  }
}

}  // namespace routerly::formats::detail
