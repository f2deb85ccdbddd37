#pragma once
// Anthropic Messages SSE events → chat.completion.chunk objects (SPEC §7.5 with the tool EXT).
#include "common/error.hpp"
#include "formats/sse.hpp"
#include "formats/usage.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace routerly::formats {

// One instance per upstream stream. Emitted chunks:
// * message_start → delta {"role":"assistant","content":""} (the id becomes the message id);
// * text_delta → {"content"}; thinking_delta → {"thinking"} (non-standard key);
// * tool_use block start → {"tool_calls":[{index k,id,type,function:{name,arguments:""}}]},
//   input_json_delta → {"tool_calls":[{index k,function:{arguments}}]} (k counts tool blocks);
// * message_delta → a finish chunk (delta {}, finish_reason) and then a usage-only chunk
//   (`"choices":[]`, `usage`), the shape OpenAI's include_usage produces, so the caller can drop
//   it when the client did not ask for usage (P3);
// * ping, content_block_stop, signature deltas and unknown events → nothing.
class AnthropicToOpenAiStream {
 public:
  // `id` is used until message_start supplies the message id; `model` is the upstream name;
  // `created` the epoch seconds stamped on every chunk.
  AnthropicToOpenAiStream(std::string id, std::string model, int64_t created);

  // One upstream event; its JSON `type` decides (the SSE event name is only a fallback).
  // upstream_error for data that is not a JSON object, and for an `error` event, whose
  // body is then kept in upstream_error_body() for translation to the client's format.
  Result<std::vector<boost::json::object>> on_event(const SseEvent& event);

  // Usage seen so far (message_start input counts, message_delta output count).
  const TokenUsage& usage() const { return usage_; }
  bool saw_usage() const { return saw_usage_; }
  // message_stop arrived: the upstream completed normally.
  bool finished() const { return finished_; }
  const std::optional<boost::json::object>& upstream_error_body() const { return error_body_; }

 private:
  boost::json::object chunk(boost::json::object delta, boost::json::value finish_reason) const;

  struct Block {
    enum class Kind { text, thinking, tool, other } kind = Kind::text;
    int64_t tool_index = 0;
  };
  std::string id_;
  std::string model_;
  int64_t created_;
  std::map<int64_t, Block> blocks_;
  int64_t next_tool_index_ = 0;
  TokenUsage usage_;
  bool saw_usage_ = false;
  bool finished_ = false;
  std::optional<boost::json::object> error_body_;
};

}  // namespace routerly::formats
