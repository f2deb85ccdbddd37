// Responses API request → Chat Completions request (declared in responses_api.hpp).
#include "formats/json_fields.hpp"
#include "formats/responses_api.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::array_field;
using detail::field;
using detail::object_field;
using detail::path;
using detail::string_field;
using detail::string_or;

namespace {

// Message content → chat content: a string when every part is text (joined by \n), else parts.
Result<json::value> convert_content(const json::value* content, const std::string& where) {
  if (!content) return fail(ErrorCode::validation_error, where + ": expected a string or an array");
  if (content->is_string()) return *content;
  const json::array* parts = content->if_array();
  if (!parts) return fail(ErrorCode::validation_error, where + ": expected a string or an array");
  json::array out;
  std::string text;
  bool all_text = true;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    std::string at = path(where, i);
    const json::object* part = (*parts)[i].if_object();
    if (!part) return fail(ErrorCode::validation_error, at + ": expected an object");
    std::string_view type = string_or(*part, "type");
    if (type == "input_text" || type == "output_text" || type == "text" || type == "refusal") {
      std::string_view t = string_or(*part, type == "refusal" ? "refusal" : "text");
      if (!text.empty()) text += "\n";
      text += t;
      out.push_back(json::object{{"type", "text"}, {"text", t}});
    } else if (type == "input_image") {
      const json::string* url = string_field(*part, "image_url");
      if (!url)
        return fail(ErrorCode::validation_error,
                    at + ".image_url: expected a string (file ids are not supported)");
      json::object image{{"url", *url}};
      if (const json::string* detail = string_field(*part, "detail")) image["detail"] = *detail;
      out.push_back(json::object{{"type", "image_url"}, {"image_url", std::move(image)}});
      all_text = false;
    } else if (type == "input_file") {
      json::object file;
      for (std::string_view key : {"file_data", "file_id", "filename"}) {
        if (const json::string* v = string_field(*part, key)) file[key] = *v;
      }
      if (file.empty()) return fail(ErrorCode::validation_error, at + ": expected file_data or file_id");
      out.push_back(json::object{{"type", "file"}, {"file", std::move(file)}});
      all_text = false;
    } else {
      return fail(ErrorCode::validation_error,
                  at + ".type: unsupported content type \"" + std::string(type) + "\"");
    }
  }
  if (all_text) return json::value(text);
  return json::value(std::move(out));
}

std::string output_text(const json::value* output) {
  if (!output) return {};
  if (output->is_string()) return std::string(output->get_string());
  if (const json::array* parts = output->if_array()) {
    std::string text;
    for (const auto& p : *parts) {
      if (const json::object* part = p.if_object(); part && string_field(*part, "text")) {
        if (!text.empty()) text += "\n";
        text += *string_field(*part, "text");
      }
    }
    return text;
  }
  return detail::to_text(*output);
}

struct ItemConverter {
  json::array messages;

  Result<void> add(const json::value& value, const std::string& where) {
    const json::object* item = value.if_object();
    if (!item) return fail(ErrorCode::validation_error, where + ": expected an object");
    std::string_view type = string_or(*item, "type", "message");
    if (type == "message") return add_message(*item, where);
    if (type == "function_call") return add_function_call(*item, where);
    if (type == "function_call_output") {
      const json::string* call_id = string_field(*item, "call_id");
      if (!call_id) return fail(ErrorCode::validation_error, where + ".call_id: expected a string");
      messages.push_back(json::object{
          {"role", "tool"}, {"tool_call_id", *call_id}, {"content", output_text(field(*item, "output"))}});
      return {};
    }
    if (type == "reasoning" || type == "item_reference") return {};  // nothing a chat model can take
    return fail(ErrorCode::validation_error,
                where + ".type: unsupported item type \"" + std::string(type) + "\"");
  }

  Result<void> add_message(const json::object& item, const std::string& where) {
    std::string_view role = string_or(item, "role");
    if (role == "developer") role = "system";
    if (role != "user" && role != "assistant" && role != "system") {
      return fail(ErrorCode::validation_error,
                  where + ".role: expected user, assistant, system or developer");
    }
    auto content = convert_content(field(item, "content"), where + ".content");
    if (!content) return std::unexpected(content.error());
    messages.push_back(json::object{{"role", role}, {"content", std::move(*content)}});
    return {};
  }

  Result<void> add_function_call(const json::object& item, const std::string& where) {
    const json::string* call_id = string_field(item, "call_id");
    if (!call_id) return fail(ErrorCode::validation_error, where + ".call_id: expected a string");
    const json::string* name = string_field(item, "name");
    if (!name) return fail(ErrorCode::validation_error, where + ".name: expected a string");
    json::object call{
        {"id", *call_id},
        {"type", "function"},
        {"function", json::object{{"name", *name}, {"arguments", string_or(item, "arguments", "{}")}}}};
    json::object* last = messages.empty() ? nullptr : messages.back().if_object();
    if (!last || string_or(*last, "role") != "assistant") {
      messages.push_back(json::object{{"role", "assistant"}, {"content", nullptr}});
      last = &messages.back().as_object();
    }
    if (last->if_contains("content") && (*last)["content"].is_string() &&
        (*last)["content"].get_string().empty()) {
      (*last)["content"] = nullptr;
    }
    json::value& calls = (*last)["tool_calls"];
    if (!calls.is_array()) calls = json::array{};
    calls.as_array().push_back(std::move(call));
    return {};
  }
};

Result<json::array> convert_tools(const json::array& tools) {
  json::array out;
  for (std::size_t i = 0; i < tools.size(); ++i) {
    std::string at = path("tools", i);
    const json::object* tool = tools[i].if_object();
    if (!tool) return fail(ErrorCode::validation_error, at + ": expected an object");
    std::string_view type = string_or(*tool, "type");
    if (type != "function") {
      return fail(
          ErrorCode::validation_error,
          at + ".type: only function tools are supported for this model (got \"" + std::string(type) + "\")");
    }
    const json::string* name = string_field(*tool, "name");
    if (!name) return fail(ErrorCode::validation_error, at + ".name: expected a string");
    json::object function{{"name", *name}};
    if (const json::string* d = string_field(*tool, "description")) function["description"] = *d;
    if (const json::object* params = object_field(*tool, "parameters")) function["parameters"] = *params;
    if (const json::value* strict = field(*tool, "strict")) function["strict"] = *strict;
    out.push_back(json::object{{"type", "function"}, {"function", std::move(function)}});
  }
  return out;
}

Result<json::value> convert_tool_choice(const json::value& choice) {
  if (choice.is_string()) {
    std::string_view s = choice.get_string();
    if (s == "auto" || s == "none" || s == "required") return choice;
  } else if (const json::object* obj = choice.if_object()) {
    if (string_or(*obj, "type") == "function" && string_field(*obj, "name")) {
      return json::object{{"type", "function"},
                          {"function", json::object{{"name", *string_field(*obj, "name")}}}};
    }
  }
  return fail(ErrorCode::validation_error,
              "tool_choice: expected \"auto\", \"none\", \"required\" or a function");
}

Result<std::optional<json::object>> convert_text_format(const json::object& request) {
  const json::object* text = object_field(request, "text");
  const json::object* format = text ? object_field(*text, "format") : nullptr;
  if (!format) return std::optional<json::object>{};
  std::string_view type = string_or(*format, "type");
  if (type == "text") return std::optional<json::object>{};
  if (type == "json_object") return json::object{{"type", "json_object"}};
  if (type == "json_schema") {
    json::object schema;
    for (std::string_view key : {"name", "schema", "strict", "description"}) {
      if (const json::value* v = field(*format, key)) schema[key] = *v;
    }
    return json::object{{"type", "json_schema"}, {"json_schema", std::move(schema)}};
  }
  return fail(ErrorCode::validation_error, "text.format.type: expected text, json_object or json_schema");
}

}  // namespace

Result<json::array> responses_input_items(const json::object& request) {
  const json::value* input = field(request, "input");
  if (!input) return fail(ErrorCode::validation_error, "input: expected a string or an array");
  if (input->is_string()) {
    return json::array{json::object{{"type", "message"}, {"role", "user"}, {"content", input->get_string()}}};
  }
  if (!input->is_array()) return fail(ErrorCode::validation_error, "input: expected a string or an array");
  return input->get_array();
}

Result<json::object> responses_to_chat_request(const json::object& request, std::string_view model,
                                               const json::array* history) {
  auto items = responses_input_items(request);
  if (!items) return std::unexpected(items.error());
  ItemConverter conv;
  if (const json::value* instructions = field(request, "instructions")) {
    if (!instructions->is_string())
      return fail(ErrorCode::validation_error, "instructions: expected a string");
    if (!instructions->get_string().empty()) {
      conv.messages.push_back(json::object{{"role", "system"}, {"content", instructions->get_string()}});
    }
  }
  if (history) {
    for (std::size_t i = 0; i < history->size(); ++i) {
      if (auto ok = conv.add((*history)[i], path("previous_response", i)); !ok)
        return std::unexpected(ok.error());
    }
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (auto ok = conv.add((*items)[i], path("input", i)); !ok) return std::unexpected(ok.error());
  }

  json::object out;
  out["model"] = model;
  out["messages"] = std::move(conv.messages);
  for (std::string_view key : {"max_output_tokens", "max_tokens"}) {
    const json::value* v = field(request, key);
    if (!v) continue;
    auto n = detail::as_int(*v);
    if (!n || *n <= 0)
      return fail(ErrorCode::validation_error, std::string(key) + ": expected a positive integer");
    out["max_tokens"] = *n;
    break;
  }
  for (std::string_view key : {"temperature", "top_p"}) {
    if (const json::value* v = field(request, key)) {
      if (!v->is_number()) return fail(ErrorCode::validation_error, std::string(key) + ": expected a number");
      out[key] = *v;
    }
  }
  if (const json::value* tools = field(request, "tools")) {
    if (!tools->is_array()) return fail(ErrorCode::validation_error, "tools: expected an array");
    auto converted = convert_tools(tools->get_array());
    if (!converted) return std::unexpected(converted.error());
    if (!converted->empty()) out["tools"] = std::move(*converted);
  }
  if (const json::value* choice = field(request, "tool_choice")) {
    auto converted = convert_tool_choice(*choice);
    if (!converted) return std::unexpected(converted.error());
    if (out.contains("tools")) out["tool_choice"] = std::move(*converted);
  }
  if (const json::value* parallel = field(request, "parallel_tool_calls");
      parallel && out.contains("tools")) {
    if (!parallel->is_bool())
      return fail(ErrorCode::validation_error, "parallel_tool_calls: expected a boolean");
    out["parallel_tool_calls"] = *parallel;
  }
  auto format = convert_text_format(request);
  if (!format) return std::unexpected(format.error());
  if (*format) out["response_format"] = std::move(**format);
  if (const json::object* reasoning = object_field(request, "reasoning")) {
    if (const json::string* effort = string_field(*reasoning, "effort")) out["reasoning_effort"] = *effort;
  }
  if (const json::string* user = string_field(request, "user")) out["user"] = *user;
  if (const json::value* stream = field(request, "stream")) {
    if (!stream->is_bool()) return fail(ErrorCode::validation_error, "stream: expected a boolean");
    out["stream"] = stream->get_bool();
  }
  return out;
}

}  // namespace routerly::formats
