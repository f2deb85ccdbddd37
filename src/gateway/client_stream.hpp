#pragma once
// Turns an upstream event stream into the client's event stream, one upstream event at a
// time (SPEC §7.5, §7.8, §8, §00 P1, P3, P14, P15). One implementation per Mode; each knows
// how to end the stream normally and how to end it with an in-stream error.
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "formats/sse.hpp"
#include "formats/usage.hpp"
#include "gateway/call.hpp"
#include "gateway/runtime.hpp"
#include "gateway/upstream_plan.hpp"

namespace routerly::gateway {

class ClientStream {
 public:
  virtual ~ClientStream() = default;

  // Appends to `out` the client bytes for one upstream event. An error (malformed data, an
  // upstream error event) means the stream failed mid-way: call fail() next.
  virtual Result<void> on_event(const formats::SseEvent& event, std::string& out) = 0;
  // The upstream signalled its normal end ([DONE], message_stop, response.completed, …).
  virtual bool upstream_done() const = 0;
  // Closing bytes after a normal end. `closing_trace` (the model:success entry) is sent as a
  // trace event by chat streams in `x-routerly-trace: events` mode.
  virtual void finish(std::string& out, const boost::json::object& closing_trace) = 0;
  // An in-stream error in the client's format; the stream is then over.
  virtual void fail(const Error& error, std::string& out) = 0;

  virtual std::optional<formats::TokenUsage> usage() const = 0;
  virtual int64_t output_chars() const = 0;
  // /v1/responses: the final response object, for the conversation store.
  virtual std::optional<boost::json::object> response() const { return std::nullopt; }
};

struct StreamContext {
  const Call& call;
  const Candidate& candidate;
  double cost_estimate = 0;  // the first chunk's costEstimate
};

std::unique_ptr<ClientStream> make_client_stream(Mode mode, const StreamContext& ctx);

// Text characters a chat chunk carries (content, thinking, tool-call arguments).
int64_t chunk_text_chars(const boost::json::object& chunk);

}  // namespace routerly::gateway
