#include "formats/ollama_fixups.hpp"

#include <string_view>

namespace routerly::formats {

namespace json = boost::json;

namespace {

bool content_is_empty(const json::object& message) {
  const json::value* content = message.if_contains("content");
  return content == nullptr || content->is_null() || (content->is_string() && content->get_string().empty());
}

// Moves `thinking` into `content` inside one message or delta object.
bool move_thinking(json::object& holder) {
  const json::value* thinking = holder.if_contains("thinking");
  if (thinking == nullptr || !thinking->is_string() || thinking->get_string().empty()) return false;
  if (!content_is_empty(holder)) return false;
  // Taken out before `content` is inserted: an insertion may rehash and move `thinking`.
  json::string text = thinking->get_string();
  holder.erase("thinking");
  holder["content"] = std::move(text);
  return true;
}

bool for_each_choice(json::object& body, std::string_view key) {
  json::value* choices = body.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return false;
  bool changed = false;
  for (json::value& choice : choices->get_array()) {
    if (!choice.is_object()) continue;
    json::value* holder = choice.get_object().if_contains(key);
    if (holder != nullptr && holder->is_object()) changed = move_thinking(holder->get_object()) || changed;
  }
  return changed;
}

}  // namespace

bool ollama_thinking_as_content(json::object& completion) { return for_each_choice(completion, "message"); }

bool ollama_thinking_delta_as_content(json::object& chunk) { return for_each_choice(chunk, "delta"); }

}  // namespace routerly::formats
