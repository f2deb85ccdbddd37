#include "formats/openai_to_anthropic_request.hpp"

#include "formats/json_fields.hpp"

#include <algorithm>

namespace routerly::formats {

namespace json = boost::json;
using detail::array_field;
using detail::field;
using detail::object_field;
using detail::path;
using detail::string_field;
using detail::string_or;

namespace {

constexpr int64_t kDefaultMaxTokens = 4096;
constexpr int64_t kThinkingBudget = 10000;
constexpr int64_t kThinkingMinMaxTokens = 16000;

// Copies every member of `part` except the listed keys (keeps cache_control and the like).
void copy_extras(const json::object& part, json::object& out, std::initializer_list<std::string_view> skip) {
  for (const auto& kv : part) {
    if (std::find(skip.begin(), skip.end(), kv.key()) != skip.end()) continue;
    out[kv.key()] = kv.value();
  }
}

// `data:<media type>;base64,<data>` → base64 source; nullopt for any other URL.
std::optional<json::object> base64_source(std::string_view url) {
  if (!url.starts_with("data:")) return std::nullopt;
  auto marker = url.find(";base64,");
  if (marker == std::string_view::npos) return std::nullopt;
  json::object source;
  source["type"] = "base64";
  source["media_type"] = url.substr(5, marker - 5);
  source["data"] = url.substr(marker + 8);
  return source;
}

Result<json::object> convert_image_part(const json::object& part, const std::string& where) {
  const json::value* image = field(part, "image_url");
  std::string_view url;
  if (image && image->is_string()) {
    url = image->get_string();
  } else if (const json::object* obj = image ? image->if_object() : nullptr;
             obj && string_field(*obj, "url")) {
    url = *string_field(*obj, "url");
  } else {
    return fail(ErrorCode::validation_error, path(where, "image_url.url") + ": expected a string");
  }
  json::object block;
  block["type"] = "image";
  if (auto source = base64_source(url)) {
    block["source"] = std::move(*source);
  } else {
    block["source"] = json::object{{"type", "url"}, {"url", url}};
  }
  copy_extras(part, block, {"type", "image_url"});
  return block;
}

// Appends the Anthropic block(s) for one content part; nothing for an empty text part.
Result<void> convert_part(const json::value& value, const std::string& where, json::array& out) {
  const json::object* part = value.if_object();
  if (!part) return fail(ErrorCode::validation_error, where + ": expected an object");
  std::string_view type = string_or(*part, "type");
  if (type == "image_url") {
    auto block = convert_image_part(*part, where);
    if (!block) return std::unexpected(block.error());
    out.push_back(std::move(*block));
    return {};
  }
  if (type == "file") {
    const json::object* file = object_field(*part, "file");
    auto source = file ? base64_source(string_or(*file, "file_data")) : std::nullopt;
    if (!source)
      return fail(ErrorCode::validation_error, path(where, "file.file_data") + ": expected a data URI");
    json::object block{{"type", "document"}, {"source", std::move(*source)}};
    copy_extras(*part, block, {"type", "file"});
    out.push_back(std::move(block));
    return {};
  }
  const json::value* text = field(*part, "text");
  if (text && !text->is_string())
    return fail(ErrorCode::validation_error, path(where, "text") + ": expected a string");
  std::string_view body = text ? std::string_view(text->get_string()) : std::string_view{};
  if (body.empty()) return {};
  json::object block{{"type", "text"}, {"text", body}};
  copy_extras(*part, block, {"type", "text", "image_url"});
  out.push_back(std::move(block));
  return {};
}

Result<json::array> convert_parts(const json::array& parts, const std::string& where) {
  json::array out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (auto ok = convert_part(parts[i], path(where, i), out); !ok) return std::unexpected(ok.error());
  }
  return out;
}

// Content as blocks (string → one text block unless empty).
Result<json::array> content_blocks(const json::value* content, const std::string& where) {
  if (!content) return json::array{};
  if (content->is_string()) {
    if (content->get_string().empty()) return json::array{};
    return json::array{json::object{{"type", "text"}, {"text", content->get_string()}}};
  }
  if (content->is_array()) return convert_parts(content->get_array(), where);
  return fail(ErrorCode::validation_error, where + ": expected a string or an array");
}

json::object parse_arguments(std::string_view arguments) {
  auto parsed = detail::parse_json(arguments.empty() ? std::string_view("{}") : arguments);
  if (parsed && parsed->is_object()) return parsed->get_object();
  return {};
}

struct Converter {
  json::array messages;
  json::array system_blocks;
  std::vector<std::string> system_strings;
  bool system_has_blocks = false;
  bool last_is_tool_results = false;

  Result<void> add_system(const json::object& msg, const std::string& where) {
    const json::value* content = field(msg, "content");
    if (content && content->is_string()) {
      if (content->get_string().empty()) return {};
      system_strings.emplace_back(content->get_string());
      system_blocks.push_back(json::object{{"type", "text"}, {"text", content->get_string()}});
      return {};
    }
    auto blocks = content_blocks(content, path(where, "content"));
    if (!blocks) return std::unexpected(blocks.error());
    for (auto& b : *blocks) {
      if (string_or(b.as_object(), "type") != "text") {
        return fail(ErrorCode::validation_error, path(where, "content") + ": system content must be text");
      }
      system_blocks.push_back(std::move(b));
      system_has_blocks = true;
    }
    return {};
  }

  Result<void> add_tool_result(const json::object& msg, const std::string& where) {
    json::object block;
    block["type"] = "tool_result";
    block["tool_use_id"] = string_or(msg, "tool_call_id");
    const json::value* content = field(msg, "content");
    if (!content) {
      block["content"] = "";
    } else if (content->is_string()) {
      block["content"] = content->get_string();
    } else if (content->is_array()) {
      auto blocks = convert_parts(content->get_array(), path(where, "content"));
      if (!blocks) return std::unexpected(blocks.error());
      block["content"] = std::move(*blocks);
    } else {
      block["content"] = detail::to_text(*content);
    }
    if (last_is_tool_results) {
      messages.back().as_object()["content"].as_array().push_back(std::move(block));
    } else {
      messages.push_back(json::object{{"role", "user"}, {"content", json::array{std::move(block)}}});
      last_is_tool_results = true;
    }
    return {};
  }

  Result<void> add_tool_calls(const json::object& msg, const json::array& calls, const std::string& where) {
    auto blocks = content_blocks(field(msg, "content"), path(where, "content"));
    if (!blocks) return std::unexpected(blocks.error());
    for (std::size_t i = 0; i < calls.size(); ++i) {
      std::string at = path(path(where, "tool_calls"), i);
      const json::object* call = calls[i].if_object();
      if (!call) return fail(ErrorCode::validation_error, at + ": expected an object");
      const json::object* function = object_field(*call, "function");
      if (!function) return fail(ErrorCode::validation_error, at + ".function: expected an object");
      json::object block;
      block["type"] = "tool_use";
      block["id"] = string_or(*call, "id");
      block["name"] = string_or(*function, "name");
      block["input"] = parse_arguments(string_or(*function, "arguments"));
      blocks->push_back(std::move(block));
    }
    messages.push_back(json::object{{"role", "assistant"}, {"content", std::move(*blocks)}});
    return {};
  }

  Result<void> add(const json::value& value, const std::string& where) {
    const json::object* msg = value.if_object();
    if (!msg) return fail(ErrorCode::validation_error, where + ": expected an object");
    const json::string* role = string_field(*msg, "role");
    if (!role) return fail(ErrorCode::validation_error, where + ".role: expected a string");
    if (*role == "system" || *role == "developer") return add_system(*msg, where);
    if (*role == "tool") return add_tool_result(*msg, where);
    last_is_tool_results = false;
    const json::array* calls = array_field(*msg, "tool_calls");
    if (*role == "assistant" && calls && !calls->empty()) return add_tool_calls(*msg, *calls, where);
    const json::value* content = field(*msg, "content");
    if (!content) {
      if (*role == "assistant") return {};  // an empty assistant turn carries nothing
      return fail(ErrorCode::validation_error, where + ".content: expected a string or an array");
    }
    if (content->is_string()) {
      messages.push_back(json::object{{"role", *role}, {"content", content->get_string()}});
      return {};
    }
    if (!content->is_array()) {
      return fail(ErrorCode::validation_error, where + ".content: expected a string or an array");
    }
    auto blocks = convert_parts(content->get_array(), where + ".content");
    if (!blocks) return std::unexpected(blocks.error());
    messages.push_back(json::object{{"role", *role}, {"content", std::move(*blocks)}});
    return {};
  }

  std::optional<json::value> system() const {
    if (system_blocks.empty()) return std::nullopt;
    if (system_has_blocks) return json::value(system_blocks);
    std::string joined;
    for (const auto& s : system_strings) {
      if (!joined.empty()) joined += "\n\n";
      joined += s;
    }
    return json::value(joined);
  }
};

Result<std::optional<int64_t>> positive_int(const json::object& req, std::string_view key) {
  const json::value* v = field(req, key);
  if (!v) return std::optional<int64_t>{};
  auto n = detail::as_int(*v);
  if (!n || *n <= 0)
    return fail(ErrorCode::validation_error, std::string(key) + ": expected a positive integer");
  return n;
}

Result<std::optional<double>> number(const json::object& req, std::string_view key) {
  const json::value* v = field(req, key);
  if (!v) return std::optional<double>{};
  if (!v->is_number()) return fail(ErrorCode::validation_error, std::string(key) + ": expected a number");
  return v->to_number<double>();
}

Result<json::array> convert_stop(const json::value& stop) {
  if (stop.is_string()) return json::array{stop};
  const json::array* list = stop.if_array();
  if (!list) return fail(ErrorCode::validation_error, "stop: expected a string or an array of strings");
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (!(*list)[i].is_string())
      return fail(ErrorCode::validation_error, path("stop", i) + ": expected a string");
  }
  return *list;
}

Result<json::array> convert_tools(const json::array& tools) {
  json::array out;
  for (std::size_t i = 0; i < tools.size(); ++i) {
    std::string at = path("tools", i);
    const json::object* tool = tools[i].if_object();
    if (!tool) return fail(ErrorCode::validation_error, at + ": expected an object");
    if (string_or(*tool, "type", "function") != "function") {
      return fail(ErrorCode::validation_error,
                  at + ".type: only function tools can be sent to an Anthropic model");
    }
    const json::object* function = object_field(*tool, "function");
    if (!function || !string_field(*function, "name")) {
      return fail(ErrorCode::validation_error, at + ".function.name: expected a string");
    }
    json::object converted;
    converted["name"] = *string_field(*function, "name");
    if (const json::string* d = string_field(*function, "description")) converted["description"] = *d;
    if (const json::object* params = object_field(*function, "parameters")) {
      converted["input_schema"] = *params;
    } else {
      converted["input_schema"] = json::object{{"type", "object"}, {"properties", json::object{}}};
    }
    if (const json::value* cc = field(*tool, "cache_control")) converted["cache_control"] = *cc;
    out.push_back(std::move(converted));
  }
  return out;
}

// tool_choice → Anthropic's; nullopt when absent; "none" reported through `drop_tools`.
Result<std::optional<json::object>> convert_tool_choice(const json::value* choice, bool& drop_tools) {
  if (!choice) return std::optional<json::object>{};
  if (choice->is_string()) {
    std::string_view s = choice->get_string();
    if (s == "auto") return json::object{{"type", "auto"}};
    if (s == "required") return json::object{{"type", "any"}};
    if (s == "none") {
      drop_tools = true;
      return std::optional<json::object>{};
    }
  } else if (const json::object* obj = choice->if_object()) {
    const json::object* function = object_field(*obj, "function");
    if (function && string_field(*function, "name")) {
      return json::object{{"type", "tool"}, {"name", *string_field(*function, "name")}};
    }
    return fail(ErrorCode::validation_error, "tool_choice.function.name: expected a string");
  }
  return fail(ErrorCode::validation_error,
              "tool_choice: expected \"auto\", \"required\", \"none\" or a function");
}

}  // namespace

Result<json::object> openai_to_anthropic_request(const json::object& req,
                                                 const AnthropicRequestOptions& options) {
  const json::array* messages = array_field(req, "messages");
  if (!messages) return fail(ErrorCode::validation_error, "messages: expected an array");
  Converter conv;
  for (std::size_t i = 0; i < messages->size(); ++i) {
    if (auto ok = conv.add((*messages)[i], path("messages", i)); !ok) return std::unexpected(ok.error());
  }

  json::object out;
  out["model"] = options.model;
  auto max_completion = positive_int(req, "max_completion_tokens");
  if (!max_completion) return std::unexpected(max_completion.error());
  auto max_tokens = positive_int(req, "max_tokens");
  if (!max_tokens) return std::unexpected(max_tokens.error());
  int64_t limit = max_completion->value_or(max_tokens->value_or(kDefaultMaxTokens));
  if (options.thinking) limit = std::max(limit, kThinkingMinMaxTokens);
  out["max_tokens"] = limit;
  if (auto system = conv.system()) out["system"] = std::move(*system);
  out["messages"] = std::move(conv.messages);

  auto temperature = number(req, "temperature");
  if (!temperature) return std::unexpected(temperature.error());
  auto top_p = number(req, "top_p");
  if (!top_p) return std::unexpected(top_p.error());
  if (options.thinking) {
    out["thinking"] = json::object{{"type", "enabled"}, {"budget_tokens", kThinkingBudget}};
  } else {
    if (*temperature) out["temperature"] = std::clamp(**temperature, 0.0, 1.0);
    if (*top_p) out["top_p"] = **top_p;
  }

  if (const json::value* stop = field(req, "stop")) {
    auto sequences = convert_stop(*stop);
    if (!sequences) return std::unexpected(sequences.error());
    if (!sequences->empty()) out["stop_sequences"] = std::move(*sequences);
  }

  bool drop_tools = false;
  auto choice = convert_tool_choice(field(req, "tool_choice"), drop_tools);
  if (!choice) return std::unexpected(choice.error());
  const json::value* tools = field(req, "tools");
  if (tools && !tools->is_array()) return fail(ErrorCode::validation_error, "tools: expected an array");
  if (tools && !drop_tools && !tools->get_array().empty()) {
    auto converted = convert_tools(tools->get_array());
    if (!converted) return std::unexpected(converted.error());
    out["tools"] = std::move(*converted);
    const json::value* parallel = field(req, "parallel_tool_calls");
    if (parallel && parallel->is_bool() && !parallel->get_bool()) {
      if (!*choice) *choice = json::object{{"type", "auto"}};
      (**choice)["disable_parallel_tool_use"] = true;
    }
    if (*choice) out["tool_choice"] = std::move(**choice);
  }

  if (const json::value* stream = field(req, "stream")) {
    if (!stream->is_bool()) return fail(ErrorCode::validation_error, "stream: expected a boolean");
    out["stream"] = stream->get_bool();
  }
  if (const json::string* user = string_field(req, "user"))
    out["metadata"] = json::object{{"user_id", *user}};
  return out;
}

}  // namespace routerly::formats
