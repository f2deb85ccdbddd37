#include "formats/openai_to_anthropic_response.hpp"

#include "formats/json_fields.hpp"
#include "formats/stop_reasons.hpp"
#include "formats/usage.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::field;
using detail::object_field;
using detail::string_or;

namespace {

// Text of a message `content`: a string, or the text parts of an array.
std::string content_text(const json::value* content) {
  if (!content) return {};
  if (content->is_string()) return std::string(content->get_string());
  std::string text;
  if (const json::array* parts = content->if_array()) {
    for (const auto& p : *parts) {
      if (const json::object* part = p.if_object()) text += string_or(*part, "text");
    }
  }
  return text;
}

}  // namespace

Result<json::object> openai_to_anthropic_response(const json::value& body, std::string_view fallback_id,
                                                  std::string_view fallback_model) {
  const json::object* completion = body.if_object();
  if (!completion) return fail(ErrorCode::upstream_error, "OpenAI response: expected a JSON object");
  if (const json::value* error = field(*completion, "error")) {
    const json::object* obj = error->if_object();
    std::string message = obj ? std::string(string_or(*obj, "message", "unknown error"))
                              : (error->is_string() ? std::string(error->get_string()) : "unknown error");
    return fail(ErrorCode::upstream_error, "OpenAI error: " + message);
  }
  const json::array* choices = detail::array_field(*completion, "choices");
  if (!choices || choices->empty() || !(*choices)[0].is_object()) {
    return fail(ErrorCode::upstream_error, "OpenAI response: choices: expected a non-empty array");
  }
  const json::object& choice = (*choices)[0].get_object();
  const json::object* message = object_field(choice, "message");
  if (!message)
    return fail(ErrorCode::upstream_error, "OpenAI response: choices[0].message: expected an object");

  json::array content;
  std::string text = content_text(field(*message, "content"));
  const json::array* calls = detail::array_field(*message, "tool_calls");
  bool has_calls = calls && !calls->empty();
  if (!text.empty() || !has_calls) content.push_back(json::object{{"type", "text"}, {"text", text}});
  if (has_calls) {
    for (std::size_t i = 0; i < calls->size(); ++i) {
      const json::object* call = (*calls)[i].if_object();
      const json::object* function = call ? object_field(*call, "function") : nullptr;
      if (!function) {
        return fail(ErrorCode::upstream_error, "OpenAI response: choices[0].message.tool_calls[" +
                                                   std::to_string(i) + "].function: expected an object");
      }
      auto input = detail::parse_json(string_or(*function, "arguments", "{}"));
      content.push_back(json::object{{"type", "tool_use"},
                                     {"id", string_or(*call, "id")},
                                     {"name", string_or(*function, "name")},
                                     {"input", input && input->is_object() ? *input : json::object{}}});
    }
  }

  std::string_view stop = anthropic_stop_reason(string_or(choice, "finish_reason", "stop"));
  if (has_calls && stop == "end_turn") stop = "tool_use";

  json::object out;
  std::string_view id = string_or(*completion, "id");
  out["id"] = id.empty() ? fallback_id : id;
  out["type"] = "message";
  out["role"] = "assistant";
  out["model"] = string_or(*completion, "model", fallback_model);
  out["content"] = std::move(content);
  out["stop_reason"] = stop;
  out["stop_sequence"] = nullptr;
  const json::object* usage = object_field(*completion, "usage");
  out["usage"] = anthropic_usage_json(usage ? usage_from_openai(*usage) : TokenUsage{});
  return out;
}

}  // namespace routerly::formats
