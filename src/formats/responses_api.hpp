#pragma once
// The OpenAI Responses API (SPEC §00 P14) over a Chat Completions upstream: the request becomes
// a chat request, the chat completion (or chunk stream) becomes a `response` object (or the
// Responses event stream). OpenAI upstreams get the request natively and never come here.
#include "common/error.hpp"
#include "formats/sse.hpp"
#include "formats/usage.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routerly::formats {

// ---- request ------------------------------------------------------------------------------

// The request's `input` as a list of input items (a string becomes one user message item):
// what a stored conversation keeps for a later previous_response_id.
Result<boost::json::array> responses_input_items(const boost::json::object& request);

// Responses request → chat request for `model`. `history` (optional) are the items of the
// conversation named by previous_response_id (earlier inputs and outputs), placed before `input`.
// * instructions → leading system message; message items (roles user/assistant/system, developer →
//   system) with input_text/output_text/refusal text, input_image and input_file parts; a string
//   or all-text content becomes a plain string;
// * function_call items → assistant tool_calls (consecutive calls share one assistant message),
//   function_call_output → `role:"tool"`; reasoning and item_reference items are skipped;
// * tools (flat function format) → chat function tools; tool_choice likewise; other tool types
//   are refused (validation_error);
// * max_output_tokens ?? max_tokens → max_tokens; temperature, top_p, parallel_tool_calls, user,
//   stream 1:1; text.format json_schema/json_object → response_format; reasoning.effort →
//   reasoning_effort.
Result<boost::json::object> responses_to_chat_request(const boost::json::object& request,
                                                      std::string_view model,
                                                      const boost::json::array* history = nullptr);

// ---- response -----------------------------------------------------------------------------

struct ResponseContext {
  std::string id;          // "resp_…"; item ids derive from it (msg_…, fc_…)
  int64_t created_at = 0;  // epoch seconds
  std::string model;       // the model reported to the client
};

// A `response` object with status "in_progress", empty output and null usage, echoing the
// request's parameters the way the API does (instructions, tools, temperature, …).
boost::json::object response_skeleton(const boost::json::object& request, const ResponseContext& ctx);

// chat.completion → `response`: a `message` item (output_text) unless the reply is only tool
// calls, one `function_call` item per tool call; status "completed", or "incomplete" with
// incomplete_details.reason max_output_tokens / content_filter; usage in Responses shape.
// upstream_error for a body that is not a completion.
Result<boost::json::object> chat_to_responses_response(const boost::json::value& completion,
                                                       const boost::json::object& request,
                                                       const ResponseContext& ctx);

// ---- stream -------------------------------------------------------------------------------

// Chat chunks → Responses events, each `event: <type>` + `data:` with `type` and an increasing
// `sequence_number`: response.created, response.in_progress, then per item
// output_item.added → (content_part.added → output_text.delta… → output_text.done →
// content_part.done | function_call_arguments.delta… → function_call_arguments.done) →
// output_item.done, and finally response.completed (or response.incomplete when the output was
// cut by the token limit or a content filter). Function-call items stay open until the end, so
// parallel calls whose argument fragments interleave are still reassembled correctly.
class ChatToResponsesStream {
 public:
  ChatToResponsesStream(boost::json::object request, ResponseContext ctx);

  // One upstream `data:` payload: a chunk, or "[DONE]" which finishes the stream. upstream_error
  // for data that is not a JSON object and for an in-stream `error` object.
  Result<std::vector<SseEvent>> on_data(std::string_view data);
  // Closes open items and sends the terminal event. Idempotent.
  std::vector<SseEvent> finish();
  // An `error` event for a failure after the stream started (P1); the stream is then finished.
  SseEvent error_event(const Error& error);

  const TokenUsage& usage() const { return usage_; }
  bool finished() const { return finished_; }
  // The final `response` object (valid after finish): what gets stored for previous_response_id.
  const boost::json::object& response() const { return final_; }

 private:
  struct Item {
    boost::json::object item;  // as sent in output_item.added, completed at the end
    std::string text;          // message: accumulated output_text; function_call: arguments
    bool done = false;
  };
  SseEvent event(std::string_view type, boost::json::object data);
  void start(std::vector<SseEvent>& out);
  void close_message(std::vector<SseEvent>& out);
  void close_item(std::size_t index, std::vector<SseEvent>& out);
  void on_tool_call(const boost::json::object& call, std::size_t position, std::vector<SseEvent>& out);

  boost::json::object request_;
  ResponseContext ctx_;
  std::string id_suffix_;
  int64_t sequence_ = 0;
  bool started_ = false;
  bool finished_ = false;
  std::vector<Item> items_;
  std::optional<std::size_t> open_message_;
  std::map<int64_t, std::size_t> tool_items_;  // chat tool_calls index → items_ index
  std::string finish_reason_;
  TokenUsage usage_;
  boost::json::object final_;
};

}  // namespace routerly::formats
