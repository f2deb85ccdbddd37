#include "formats/anthropic_to_openai_response.hpp"

#include "formats/json_fields.hpp"
#include "formats/stop_reasons.hpp"
#include "formats/usage.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::field;
using detail::object_field;
using detail::string_or;

Result<json::object> anthropic_to_openai_response(const json::value& body, int64_t created,
                                                  std::string_view fallback_model) {
  const json::object* message = body.if_object();
  if (!message) return fail(ErrorCode::upstream_error, "Anthropic response: expected a JSON object");
  if (string_or(*message, "type") == "error") {
    const json::object* error = object_field(*message, "error");
    return fail(
        ErrorCode::upstream_error,
        "Anthropic error: " + std::string(error ? string_or(*error, "message", "unknown") : "unknown"));
  }
  const json::array* content = detail::array_field(*message, "content");
  if (!content) return fail(ErrorCode::upstream_error, "Anthropic response: content: expected an array");

  std::string text;
  std::string thinking;
  json::array tool_calls;
  for (std::size_t i = 0; i < content->size(); ++i) {
    const json::object* block = (*content)[i].if_object();
    if (!block)
      return fail(ErrorCode::upstream_error,
                  "Anthropic response: content[" + std::to_string(i) + "]: expected an object");
    std::string_view type = string_or(*block, "type");
    if (type == "text") {
      text += string_or(*block, "text");
    } else if (type == "thinking") {
      thinking += string_or(*block, "thinking");
    } else if (type == "tool_use") {
      const json::value* input = field(*block, "input");
      json::object function{{"name", string_or(*block, "name")},
                            {"arguments", input ? detail::to_text(*input) : std::string("{}")}};
      tool_calls.push_back(json::object{
          {"id", string_or(*block, "id")}, {"type", "function"}, {"function", std::move(function)}});
    }
  }

  json::object msg;
  msg["role"] = "assistant";
  if (text.empty() && !tool_calls.empty()) {
    msg["content"] = nullptr;
  } else {
    msg["content"] = text;
  }
  if (!thinking.empty()) msg["thinking"] = thinking;
  std::string_view finish = openai_finish_reason(string_or(*message, "stop_reason", "end_turn"));
  if (!tool_calls.empty()) {
    msg["tool_calls"] = std::move(tool_calls);
    if (finish == "stop") finish = "tool_calls";  // a truncated tool call keeps "length"
  }

  json::object out;
  out["id"] = string_or(*message, "id");
  out["object"] = "chat.completion";
  out["created"] = created;
  out["model"] = string_or(*message, "model", fallback_model);
  json::object choice{{"index", 0}, {"message", std::move(msg)}, {"finish_reason", finish}};
  out["choices"] = json::array{std::move(choice)};
  const json::object* usage = object_field(*message, "usage");
  out["usage"] = openai_usage_json(usage ? usage_from_anthropic(*usage) : TokenUsage{});
  return out;
}

}  // namespace routerly::formats
