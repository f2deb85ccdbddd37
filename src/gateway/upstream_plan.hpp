#pragma once
// How one attempt talks to its upstream (DESIGN §4): the same wire format in and out is
// forwarded natively with only the model (and stream usage option) rewritten; across formats
// the request is translated. Pure: builds the outbound request, performs no I/O.
#include <chrono>
#include <string>

#include "common/error.hpp"
#include "gateway/call.hpp"
#include "http/client.hpp"
#include "providers/adapter.hpp"

namespace routerly::gateway {

enum class Mode {
  chat_native,              // /v1/chat/completions → OpenAI-compatible
  chat_via_anthropic,       // /v1/chat/completions → Anthropic
  messages_native,          // /v1/messages → Anthropic
  messages_via_openai,      // /v1/messages → OpenAI-compatible
  responses_native,         // /v1/responses → openai's /responses
  responses_via_openai,     // /v1/responses → OpenAI-compatible chat
  responses_via_anthropic,  // /v1/responses → chat → Anthropic
};

Mode mode_for(Api api, const providers::Target& target);
// The wire format the upstream answers in for a mode (what its error bodies look like).
bool upstream_speaks_anthropic(Mode mode);

struct UpstreamPlan {
  Mode mode = Mode::chat_native;
  http::ClientRequest request;
};

// validation_error (naming the field) when the client's request cannot be translated.
Result<UpstreamPlan> plan_upstream(const Call& call, const providers::Target& target,
                                   std::chrono::milliseconds timeout);

}  // namespace routerly::gateway
