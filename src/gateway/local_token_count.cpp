#include "gateway/local_token_count.hpp"

#include <boost/json/serialize.hpp>

namespace routerly::gateway {
namespace json = boost::json;

namespace {

// Collects the text pieces a model reads, then counts them one by one.
class Counter {
 public:
  explicit Counter(const formats::Tokenizer* tokenizer) : tokenizer_(tokenizer) {}

  void text(std::string_view s) {
    if (s.empty()) return;
    if (tokenizer_ != nullptr) {
      tokens_ += static_cast<int64_t>(tokenizer_->count(s));
    } else {
      for (unsigned char c : s) code_points_ += (c & 0xC0) != 0x80;  // UTF-8 lead bytes
    }
  }
  void json_text(const json::value& v) { text(json::serialize(v)); }
  void framing(int64_t n) { framing_ += n; }

  TokenCount result() const {
    if (tokenizer_ != nullptr) return {tokens_ + framing_, false};
    return {(code_points_ + 3) / 4, true};
  }

 private:
  const formats::Tokenizer* tokenizer_;
  int64_t tokens_ = 0, code_points_ = 0, framing_ = 0;
};

std::string_view string_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

void count_content(Counter& counter, const json::value& content);

void count_block(Counter& counter, const json::object& block) {
  std::string_view type = string_of(block, "type");
  if (type == "text") {
    counter.text(string_of(block, "text"));
  } else if (type == "thinking") {
    counter.text(string_of(block, "thinking"));
  } else if (type == "tool_use" || type == "server_tool_use") {
    counter.text(string_of(block, "name"));
    if (const json::value* input = block.if_contains("input")) counter.json_text(*input);
  } else if (type == "tool_result") {
    if (const json::value* content = block.if_contains("content")) count_content(counter, *content);
  }
  // image, document, redacted_thinking: no text to count.
}

void count_content(Counter& counter, const json::value& content) {
  if (content.is_string()) {
    counter.text(content.get_string());
  } else if (content.is_array()) {
    for (const json::value& part : content.get_array()) {
      if (part.is_object())
        count_block(counter, part.get_object());
      else if (part.is_string())
        counter.text(part.get_string());
    }
  }
}

}  // namespace

Result<TokenCount> count_message_tokens(const json::object& body, const formats::Tokenizer* tokenizer) {
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) {
    return fail(ErrorCode::validation_error, "messages: must be an array");
  }
  Counter counter(tokenizer);
  if (const json::value* system = body.if_contains("system")) count_content(counter, *system);
  for (std::size_t i = 0; i < messages->get_array().size(); ++i) {
    const json::value& m = messages->get_array()[i];
    if (!m.is_object()) {
      return fail(ErrorCode::validation_error, "messages[" + std::to_string(i) + "]: must be an object");
    }
    if (const json::value* content = m.get_object().if_contains("content")) count_content(counter, *content);
    counter.framing(kTokensPerMessage);
  }
  if (!messages->get_array().empty()) counter.framing(kReplyPrimingTokens);
  if (const json::value* tools = body.if_contains("tools"); tools != nullptr && tools->is_array()) {
    for (const json::value& tool : tools->get_array()) counter.json_text(tool);
  }
  return counter.result();
}

}  // namespace routerly::gateway
