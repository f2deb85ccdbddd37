#pragma once
// chat.completion.chunk stream → Anthropic Messages SSE events (SPEC §7.8 with tools).
#include "common/error.hpp"
#include "formats/sse.hpp"
#include "formats/usage.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routerly::formats {

// One instance per upstream stream. Events, in Anthropic order:
// message_start (on the first chunk) → per content run a content_block_start / _delta… / _stop
// (text as text_delta; each tool call as a tool_use block with input_json_delta argument
// fragments; block indexes count up as text and tool calls interleave) → message_delta
// (stop_reason, usage) → message_stop. A finish_reason closes the open block, but
// message_delta waits for the end ([DONE] or finish()) because OpenAI sends the usage chunk
// after the finish chunk. Reasoning deltas are not forwarded.
class OpenAiToAnthropicStream {
 public:
  // `message_id` ("msg_…") and `model` go in message_start; `input_tokens` (the request's
  // token count, or an estimate of it) is its usage.input_tokens, since the upstream reports
  // real usage only at the end (message_delta repeats the real one).
  OpenAiToAnthropicStream(std::string message_id, std::string model, int64_t input_tokens = 0);

  // One upstream `data:` payload: a chunk object, or "[DONE]" which finishes the stream.
  // upstream_error for data that is not a JSON object and for an in-stream `error` object
  // (kept in upstream_error_body()).
  Result<std::vector<SseEvent>> on_data(std::string_view data);

  // Ends the stream: closes the open block, sends message_delta and message_stop.
  // Idempotent; after the first call it returns nothing.
  std::vector<SseEvent> finish();

  const TokenUsage& usage() const { return usage_; }
  bool saw_usage() const { return saw_usage_; }
  bool finished() const { return finished_; }
  const std::optional<boost::json::object>& upstream_error_body() const { return error_body_; }

 private:
  void start(std::vector<SseEvent>& out);
  void close_open_block(std::vector<SseEvent>& out);
  int64_t open_block(boost::json::object content_block, std::vector<SseEvent>& out);
  void on_tool_call(const boost::json::object& call, std::size_t position, std::vector<SseEvent>& out);

  std::string message_id_;
  std::string model_;
  TokenUsage usage_;
  bool saw_usage_ = false;
  bool started_ = false;
  bool finished_ = false;
  bool saw_tool_calls_ = false;
  std::string stop_reason_ = "end_turn";
  int64_t next_block_ = 0;
  std::optional<int64_t> open_;  // Anthropic index of the open block
  bool open_is_text_ = false;
  std::map<int64_t, int64_t> tool_blocks_;  // OpenAI tool_calls index → Anthropic block index
  std::optional<boost::json::object> error_body_;
};

}  // namespace routerly::formats
