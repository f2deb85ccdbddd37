#include "formats/anthropic_to_openai_request.hpp"

#include "formats/json_fields.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::array_field;
using detail::field;
using detail::object_field;
using detail::path;
using detail::string_field;
using detail::string_or;

namespace {

void append_line(std::string& joined, std::string_view text) {
  if (!joined.empty()) joined += "\n";
  joined += text;
}

Result<std::string> text_of_blocks(const json::value& content, const std::string& where) {
  if (content.is_string()) return std::string(content.get_string());
  const json::array* blocks = content.if_array();
  if (!blocks) return fail(ErrorCode::validation_error, where + ": expected a string or an array");
  std::string joined;
  for (std::size_t i = 0; i < blocks->size(); ++i) {
    const json::object* block = (*blocks)[i].if_object();
    if (!block) return fail(ErrorCode::validation_error, path(where, i) + ": expected an object");
    if (string_or(*block, "type") == "text") append_line(joined, string_or(*block, "text"));
  }
  return joined;
}

// image / document block → chat content part.
Result<json::object> media_part(const json::object& block, std::string_view type, const std::string& where) {
  const json::object* source = object_field(block, "source");
  if (!source) return fail(ErrorCode::validation_error, where + ".source: expected an object");
  std::string_view source_type = string_or(*source, "type");
  if (source_type == "base64") {
    std::string uri = "data:" + std::string(string_or(*source, "media_type")) + ";base64," +
                      std::string(string_or(*source, "data"));
    if (type == "document") {
      json::object file{{"file_data", uri}};
      if (const json::string* title = string_field(block, "title")) file["filename"] = *title;
      return json::object{{"type", "file"}, {"file", std::move(file)}};
    }
    return json::object{{"type", "image_url"}, {"image_url", json::object{{"url", uri}}}};
  }
  if (source_type == "url" && type == "image") {
    return json::object{{"type", "image_url"},
                        {"image_url", json::object{{"url", string_or(*source, "url")}}}};
  }
  if (source_type == "text" && type == "document") {
    return json::object{{"type", "text"}, {"text", string_or(*source, "data")}};
  }
  return fail(ErrorCode::validation_error,
              where + ".source.type: unsupported " + std::string(type) + " source");
}

Result<void> convert_user(const json::array& blocks, const std::string& where, json::array& out) {
  json::array parts;
  bool all_text = true;
  std::string text;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    std::string at = path(where, i);
    const json::object* block = blocks[i].if_object();
    if (!block) return fail(ErrorCode::validation_error, at + ": expected an object");
    std::string_view type = string_or(*block, "type");
    if (type == "text") {
      append_line(text, string_or(*block, "text"));
      parts.push_back(json::object{{"type", "text"}, {"text", string_or(*block, "text")}});
    } else if (type == "image" || type == "document") {
      auto part = media_part(*block, type, at);
      if (!part) return std::unexpected(part.error());
      all_text = all_text && string_or(*part, "type") == "text";
      if (string_or(*part, "type") == "text") append_line(text, string_or(*part, "text"));
      parts.push_back(std::move(*part));
    } else if (type == "tool_result") {
      const json::value* content = field(*block, "content");
      std::string result;
      if (content) {
        auto joined = text_of_blocks(*content, at + ".content");
        if (!joined) return std::unexpected(joined.error());
        result = std::move(*joined);
      }
      out.push_back(json::object{
          {"role", "tool"}, {"tool_call_id", string_or(*block, "tool_use_id")}, {"content", result}});
    } else if (type.empty()) {
      return fail(ErrorCode::validation_error, at + ".type: expected a string");
    }
    // Other block kinds (e.g. search results, server tool output) have no chat equivalent.
  }
  if (parts.empty()) return {};
  if (all_text) {
    out.push_back(json::object{{"role", "user"}, {"content", text}});
  } else {
    out.push_back(json::object{{"role", "user"}, {"content", std::move(parts)}});
  }
  return {};
}

Result<void> convert_assistant(const json::array& blocks, const std::string& where, json::array& out) {
  std::string text;
  bool has_text = false;
  json::array calls;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    std::string at = path(where, i);
    const json::object* block = blocks[i].if_object();
    if (!block) return fail(ErrorCode::validation_error, at + ": expected an object");
    std::string_view type = string_or(*block, "type");
    if (type == "text") {
      text += string_or(*block, "text");
      has_text = true;
    } else if (type == "tool_use") {
      const json::value* input = field(*block, "input");
      json::object function{{"name", string_or(*block, "name")},
                            {"arguments", input ? detail::to_text(*input) : std::string("{}")}};
      calls.push_back(json::object{
          {"id", string_or(*block, "id")}, {"type", "function"}, {"function", std::move(function)}});
    }
  }
  json::object msg{{"role", "assistant"}};
  if (has_text || calls.empty()) {
    msg["content"] = text;
  } else {
    msg["content"] = nullptr;
  }
  if (!calls.empty()) msg["tool_calls"] = std::move(calls);
  out.push_back(std::move(msg));
  return {};
}

Result<json::array> convert_tools(const json::array& tools) {
  json::array out;
  for (std::size_t i = 0; i < tools.size(); ++i) {
    std::string at = path("tools", i);
    const json::object* tool = tools[i].if_object();
    if (!tool) return fail(ErrorCode::validation_error, at + ": expected an object");
    std::string_view type = string_or(*tool, "type", "custom");
    if (type != "custom") {
      return fail(ErrorCode::validation_error, at + ".type: server tool \"" + std::string(type) +
                                                   "\" is only available on Anthropic models");
    }
    const json::string* name = string_field(*tool, "name");
    if (!name) return fail(ErrorCode::validation_error, at + ".name: expected a string");
    json::object function{{"name", *name}};
    if (const json::string* d = string_field(*tool, "description")) function["description"] = *d;
    if (const json::object* schema = object_field(*tool, "input_schema")) {
      function["parameters"] = *schema;
    } else {
      function["parameters"] = json::object{{"type", "object"}, {"properties", json::object{}}};
    }
    out.push_back(json::object{{"type", "function"}, {"function", std::move(function)}});
  }
  return out;
}

Result<void> convert_tool_choice(const json::value& value, json::object& out) {
  const json::object* choice = value.if_object();
  if (!choice) return fail(ErrorCode::validation_error, "tool_choice: expected an object");
  std::string_view type = string_or(*choice, "type");
  if (type == "auto") {
    out["tool_choice"] = "auto";
  } else if (type == "any") {
    out["tool_choice"] = "required";
  } else if (type == "none") {
    out["tool_choice"] = "none";
  } else if (type == "tool") {
    const json::string* name = string_field(*choice, "name");
    if (!name) return fail(ErrorCode::validation_error, "tool_choice.name: expected a string");
    out["tool_choice"] = json::object{{"type", "function"}, {"function", json::object{{"name", *name}}}};
  } else {
    return fail(ErrorCode::validation_error, "tool_choice.type: expected auto, any, tool or none");
  }
  const json::value* no_parallel = field(*choice, "disable_parallel_tool_use");
  if (no_parallel && no_parallel->is_bool() && no_parallel->get_bool()) out["parallel_tool_calls"] = false;
  return {};
}

}  // namespace

Result<json::object> anthropic_to_openai_request(const json::object& req, std::string_view model) {
  const json::array* messages = array_field(req, "messages");
  if (!messages) return fail(ErrorCode::validation_error, "messages: expected an array");

  json::array out_messages;
  if (const json::value* system = field(req, "system")) {
    auto text = text_of_blocks(*system, "system");
    if (!text) return std::unexpected(text.error());
    if (!text->empty()) out_messages.push_back(json::object{{"role", "system"}, {"content", *text}});
  }
  for (std::size_t i = 0; i < messages->size(); ++i) {
    std::string at = path("messages", i);
    const json::object* msg = (*messages)[i].if_object();
    if (!msg) return fail(ErrorCode::validation_error, at + ": expected an object");
    std::string_view role = string_or(*msg, "role");
    if (role != "user" && role != "assistant") {
      return fail(ErrorCode::validation_error, at + ".role: expected \"user\" or \"assistant\"");
    }
    const json::value* content = field(*msg, "content");
    if (content && content->is_string()) {
      out_messages.push_back(json::object{{"role", role}, {"content", content->get_string()}});
      continue;
    }
    if (!content || !content->is_array()) {
      return fail(ErrorCode::validation_error, at + ".content: expected a string or an array");
    }
    auto ok = role == "user" ? convert_user(content->get_array(), at + ".content", out_messages)
                             : convert_assistant(content->get_array(), at + ".content", out_messages);
    if (!ok) return std::unexpected(ok.error());
  }

  json::object out;
  out["model"] = model;
  out["messages"] = std::move(out_messages);
  if (const json::value* max_tokens = field(req, "max_tokens")) {
    auto n = detail::as_int(*max_tokens);
    if (!n || *n <= 0) return fail(ErrorCode::validation_error, "max_tokens: expected a positive integer");
    out["max_tokens"] = *n;
  }
  for (std::string_view key : {"temperature", "top_p"}) {
    if (const json::value* v = field(req, key)) {
      if (!v->is_number()) return fail(ErrorCode::validation_error, std::string(key) + ": expected a number");
      out[key] = *v;
    }
  }
  if (const json::value* stop = field(req, "stop_sequences")) {
    const json::array* list = stop->if_array();
    if (!list) return fail(ErrorCode::validation_error, "stop_sequences: expected an array of strings");
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (!(*list)[i].is_string()) {
        return fail(ErrorCode::validation_error, path("stop_sequences", i) + ": expected a string");
      }
    }
    if (!list->empty()) out["stop"] = *list;
  }
  if (const json::value* tools = field(req, "tools")) {
    if (!tools->is_array()) return fail(ErrorCode::validation_error, "tools: expected an array");
    auto converted = convert_tools(tools->get_array());
    if (!converted) return std::unexpected(converted.error());
    if (!converted->empty()) {
      out["tools"] = std::move(*converted);
      if (const json::value* choice = field(req, "tool_choice")) {
        if (auto ok = convert_tool_choice(*choice, out); !ok) return std::unexpected(ok.error());
      }
    }
  }
  if (const json::value* stream = field(req, "stream")) {
    if (!stream->is_bool()) return fail(ErrorCode::validation_error, "stream: expected a boolean");
    out["stream"] = stream->get_bool();
  }
  if (const json::object* metadata = object_field(req, "metadata")) {
    if (const json::string* user = string_field(*metadata, "user_id")) out["user"] = *user;
  }
  return out;
}

}  // namespace routerly::formats
