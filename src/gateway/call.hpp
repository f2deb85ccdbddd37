#pragma once
// The state of one proxied generation request, shared by the handler, the attempts, the
// relays and the usage recorder.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/proxy_auth.hpp"

namespace routerly::gateway {

// The wire format the client speaks.
enum class Api { chat, messages, responses };

std::string_view api_type_name(Api api);  // usage `type`: chat | messages | responses

// One tried candidate.
struct AttemptRecord {
  std::string model_id, provider;
  std::string outcome;  // success | error | timeout
  std::string error;    // why it failed; empty on success
  int64_t latency_ms = 0;
};

// What routing and the budget gate learnt about a refusal, for its retry hints.
struct RefusalFacts {
  // Every candidate was ruled out for the request's own reasons (budget, context, capability,
  // intent): sending the same request again cannot help.
  bool request_bound = false;
  // Per budget-blocked candidate: when its blocking limits may admit again (ms since epoch;
  // 0 = not known, e.g. held by calls in flight).
  std::vector<int64_t> budget_reopens_ms;
};

struct Call {
  Api api = Api::chat;
  Caller caller;
  std::string trace_id;
  int64_t start_ms = 0;  // wall clock, for records
  std::chrono::steady_clock::time_point started;
  boost::json::object body;  // the client's request, parsed once
  bool stream = false;
  bool client_wants_usage = false;  // chat: stream_options.include_usage
  bool trace_events = false;        // x-routerly-trace: events
  std::string conversation_id;      // x-routerly-conversation-id (llm policy memory, SPEC §5.5)
  std::string anthropic_beta;       // forwarded to Anthropic upstreams on /v1/messages
  // /v1/responses: items of the conversation named by previous_response_id.
  std::optional<boost::json::array> history;
  int64_t input_chars = 0;  // text size of the request, for token estimates
  // /v1/messages streams: the request's o200k token count, when it was counted.
  std::optional<int64_t> input_tokens;
  boost::json::array trace;
  std::vector<AttemptRecord> attempts;
  RefusalFacts refusal;

  int64_t elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
        .count();
  }
};

}  // namespace routerly::gateway
