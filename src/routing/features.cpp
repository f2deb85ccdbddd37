#include "routing/features.hpp"

#include <boost/json/serialize.hpp>

namespace routerly::routing {

namespace json = boost::json;

namespace {

std::string_view str_field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

json::object text_part(std::string_view text) {
  return json::object{{"type", "text"}, {"text", text}};
}

json::object image_part() {
  return json::object{{"type", "image_url"}, {"image_url", json::object{{"url", ""}}}};
}

// Anthropic content (string or blocks) → chat content.
json::value anthropic_content(const json::value& content) {
  if (!content.is_array()) return content.is_string() ? content : json::value(json::serialize(content));
  json::array parts;
  for (const json::value& block : content.get_array()) {
    if (!block.is_object()) continue;
    const json::object& b = block.get_object();
    std::string_view type = str_field(b, "type");
    if (type == "text")
      parts.push_back(text_part(str_field(b, "text")));
    else if (type == "image")
      parts.push_back(image_part());
    else
      parts.push_back(text_part(json::serialize(b)));
  }
  return parts;
}

// Responses content (string or parts) → chat content.
json::value responses_content(const json::value& content) {
  if (!content.is_array()) return content.is_string() ? content : json::value(json::serialize(content));
  json::array parts;
  for (const json::value& part : content.get_array()) {
    if (!part.is_object()) continue;
    const json::object& p = part.get_object();
    std::string_view type = str_field(p, "type");
    if (type == "input_text" || type == "output_text" || type == "text")
      parts.push_back(text_part(str_field(p, "text")));
    else if (type == "input_image")
      parts.push_back(image_part());
    else if (type == "refusal")
      parts.push_back(text_part(str_field(p, "refusal")));
    else
      parts.push_back(text_part(json::serialize(p)));
  }
  return parts;
}

void append_responses_items(const json::value& items, json::array& messages) {
  if (items.is_string()) {
    messages.push_back(json::object{{"role", "user"}, {"content", items}});
    return;
  }
  if (!items.is_array()) return;
  for (const json::value& item : items.get_array()) {
    if (!item.is_object()) continue;
    const json::object& it = item.get_object();
    std::string_view type = str_field(it, "type");
    if (type.empty() || type == "message") {
      std::string role(str_field(it, "role"));
      if (role == "developer") role = "system";
      if (role.empty()) role = "user";
      const json::value* content = it.if_contains("content");
      messages.push_back(
          json::object{{"role", role}, {"content", content ? responses_content(*content) : json::value("")}});
    } else if (type == "function_call") {
      messages.push_back(json::object{{"role", "assistant"}, {"content", json::serialize(it)}});
    } else if (type == "function_call_output") {
      messages.push_back(json::object{{"role", "tool"}, {"content", json::serialize(it)}});
    }
  }
}

// Length of the text of one message's content (string, or Σ text of parts; images ignored).
int64_t content_chars(const json::value& content) {
  if (content.is_string()) return static_cast<int64_t>(content.get_string().size());
  int64_t n = 0;
  if (content.is_array())
    for (const json::value& part : content.get_array())
      if (part.is_object())
        if (const json::value* t = part.get_object().if_contains("text"); t && t->is_string())
          n += static_cast<int64_t>(t->get_string().size());
  return n;
}

std::string content_text(const json::value& content) {
  if (content.is_string()) return std::string(content.get_string());
  std::string out;
  if (content.is_array())
    for (const json::value& part : content.get_array())
      if (part.is_object())
        if (const json::value* t = part.get_object().if_contains("text"); t && t->is_string()) {
          if (!out.empty()) out += "\n";
          out += t->get_string();
        }
  return out;
}

bool non_empty_array(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_array() && !v->get_array().empty();
}

}  // namespace

json::object openai_view_of_messages(const json::object& request) {
  json::array messages;
  if (const json::value* system = request.if_contains("system")) {
    json::value content =
        system->is_array() ? json::value(content_text(*system)) : anthropic_content(*system);
    messages.push_back(json::object{{"role", "system"}, {"content", std::move(content)}});
  }
  if (const json::value* ms = request.if_contains("messages"); ms && ms->is_array())
    for (const json::value& m : ms->get_array()) {
      if (!m.is_object()) continue;
      const json::object& msg = m.get_object();
      const json::value* content = msg.if_contains("content");
      messages.push_back(json::object{{"role", str_field(msg, "role")},
                                      {"content", content ? anthropic_content(*content) : json::value("")}});
    }
  json::object view{{"model", str_field(request, "model")}, {"messages", std::move(messages)}};
  if (const json::value* tools = request.if_contains("tools")) view["tools"] = *tools;
  if (const json::value* max = request.if_contains("max_tokens")) view["max_tokens"] = *max;
  return view;
}

json::object openai_view_of_responses(const json::object& request, const json::array* history) {
  json::array messages;
  if (std::string_view instructions = str_field(request, "instructions"); !instructions.empty())
    messages.push_back(json::object{{"role", "system"}, {"content", instructions}});
  if (history) append_responses_items(*history, messages);
  if (const json::value* input = request.if_contains("input")) append_responses_items(*input, messages);
  json::object view{{"model", str_field(request, "model")}, {"messages", std::move(messages)}};
  if (const json::value* tools = request.if_contains("tools")) view["tools"] = *tools;
  if (const json::value* text = request.if_contains("text"); text && text->is_object())
    if (const json::value* format = text->get_object().if_contains("format"); format && format->is_object())
      if (str_field(format->get_object(), "type") == "json_object")
        view["response_format"] = json::object{{"type", "json_object"}};
  for (std::string_view key : {"max_output_tokens", "max_tokens"})
    if (const json::value* max = request.if_contains(key)) {
      view["max_tokens"] = *max;
      break;
    }
  return view;
}

RequestFeatures extract_features(const json::object& request) {
  RequestFeatures f;
  f.model = std::string(str_field(request, "model"));
  f.needs_tools = non_empty_array(request, "tools") || non_empty_array(request, "functions");
  if (const json::value* rf = request.if_contains("response_format"); rf && rf->is_object())
    f.needs_json = str_field(rf->get_object(), "type") == "json_object";
  const json::value* ms = request.if_contains("messages");
  if (!ms || !ms->is_array()) return f;
  f.message_count = ms->get_array().size();
  const json::value* last_user = nullptr;
  for (const json::value& m : ms->get_array()) {
    if (!m.is_object()) continue;
    const json::object& msg = m.get_object();
    const json::value* content = msg.if_contains("content");
    if (!content) continue;
    std::string_view role = str_field(msg, "role");
    f.chars += content_chars(*content);
    if (content->is_array())
      for (const json::value& part : content->get_array())
        if (part.is_object() && str_field(part.get_object(), "type") == "image_url") f.needs_vision = true;
    if (content->is_string()) {
      if (!f.all_string_text.empty()) f.all_string_text += " ";
      f.all_string_text += content->get_string();
      if (role == "user") f.last_user_string = std::string(content->get_string());
    }
    if (role == "user") last_user = content;
    if (role == "system" && !f.system_text) f.system_text = content_text(*content);
  }
  if (last_user)
    f.last_user_message =
        last_user->is_string() ? std::string(last_user->get_string()) : json::serialize(*last_user);
  return f;
}

}  // namespace routerly::routing
