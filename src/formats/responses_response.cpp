// chat.completion → Responses API `response` object (declared in responses_api.hpp).
#include "formats/json_fields.hpp"
#include "formats/responses_api.hpp"
#include "formats/responses_items.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::field;
using detail::object_field;
using detail::string_or;

namespace {
json::value echo(const json::object& request, std::string_view key, json::value fallback) {
  if (const json::value* v = field(request, key)) return *v;
  return fallback;
}
}  // namespace

json::object response_skeleton(const json::object& request, const ResponseContext& ctx) {
  json::value max_output = echo(request, "max_output_tokens", echo(request, "max_tokens", nullptr));
  return json::object{
      {"id", ctx.id},
      {"object", "response"},
      {"created_at", ctx.created_at},
      {"status", "in_progress"},
      {"error", nullptr},
      {"incomplete_details", nullptr},
      {"instructions", echo(request, "instructions", nullptr)},
      {"max_output_tokens", std::move(max_output)},
      {"model", ctx.model},
      {"output", json::array{}},
      {"parallel_tool_calls", echo(request, "parallel_tool_calls", true)},
      {"previous_response_id", echo(request, "previous_response_id", nullptr)},
      {"reasoning", echo(request, "reasoning", json::object{{"effort", nullptr}, {"summary", nullptr}})},
      {"store", echo(request, "store", true)},
      {"temperature", echo(request, "temperature", 1.0)},
      {"text", echo(request, "text", json::object{{"format", json::object{{"type", "text"}}}})},
      {"tool_choice", echo(request, "tool_choice", "auto")},
      {"tools", echo(request, "tools", json::array{})},
      {"top_p", echo(request, "top_p", 1.0)},
      {"truncation", echo(request, "truncation", "disabled")},
      {"usage", nullptr},
      {"user", echo(request, "user", nullptr)},
      {"metadata", echo(request, "metadata", json::object{})},
  };
}

Result<json::object> chat_to_responses_response(const json::value& body, const json::object& request,
                                                const ResponseContext& ctx) {
  const json::object* completion = body.if_object();
  if (!completion) return fail(ErrorCode::upstream_error, "chat response: expected a JSON object");
  if (const json::value* error = field(*completion, "error")) {
    const json::object* obj = error->if_object();
    return fail(ErrorCode::upstream_error,
                "upstream error: " +
                    std::string(obj ? string_or(*obj, "message", "unknown error") : "unknown error"));
  }
  const json::array* choices = detail::array_field(*completion, "choices");
  if (!choices || choices->empty() || !(*choices)[0].is_object()) {
    return fail(ErrorCode::upstream_error, "chat response: choices: expected a non-empty array");
  }
  const json::object& choice = (*choices)[0].get_object();
  const json::object* message = object_field(choice, "message");
  if (!message)
    return fail(ErrorCode::upstream_error, "chat response: choices[0].message: expected an object");

  std::string_view finish_reason = string_or(choice, "finish_reason", "stop");
  // Items of a cut-off response are themselves incomplete, as the API reports them.
  std::string_view item_status = detail::is_truncation(finish_reason) ? "incomplete" : "completed";
  std::string suffix = detail::response_id_suffix(ctx.id);
  json::array output;
  const json::value* content = field(*message, "content");
  std::string text = content && content->is_string() ? std::string(content->get_string()) : std::string();
  const json::array* calls = detail::array_field(*message, "tool_calls");
  bool has_calls = calls && !calls->empty();
  if (!text.empty() || !has_calls) {
    output.push_back(detail::message_item(detail::message_item_id(suffix, 0), item_status, true, text));
  }
  if (has_calls) {
    for (std::size_t i = 0; i < calls->size(); ++i) {
      const json::object* call = (*calls)[i].if_object();
      const json::object* function = call ? object_field(*call, "function") : nullptr;
      if (!function) {
        return fail(ErrorCode::upstream_error, "chat response: choices[0].message.tool_calls[" +
                                                   std::to_string(i) + "].function: expected an object");
      }
      output.push_back(detail::function_call_item(detail::function_call_item_id(suffix, i), item_status,
                                                  string_or(*call, "id"), string_or(*function, "name"),
                                                  string_or(*function, "arguments")));
    }
  }

  json::object response = response_skeleton(request, ctx);
  detail::apply_finish_reason(response, finish_reason);
  response["output"] = std::move(output);
  const json::object* usage = object_field(*completion, "usage");
  response["usage"] = responses_usage_json(usage ? usage_from_openai(*usage) : TokenUsage{});
  return response;
}

}  // namespace routerly::formats
