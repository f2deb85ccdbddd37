#pragma once
// Error answers in the client's wire format (SPEC §00 P1) and the headers every proxy
// response carries.
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/error.hpp"
#include "gateway/call.hpp"
#include "gateway/upstream_plan.hpp"
#include "http/message.hpp"

namespace routerly::gateway {

inline constexpr std::string_view kTraceHeader = "x-routerly-trace-id";

// An error the gateway itself produces on a proxy route (validation, not_found,
// no_model_available, …): the §00 envelope {"error":"<code>","message"} on every route, as
// SPEC §00 P1 requires. Only provider errors (relayed_upstream_error) and errors after a
// stream started take the client's wire format. `api` does not change the shape; it is kept
// so callers state which route answers. Carries the trace id.
http::Response client_error(Api api, const Error& error, std::string_view trace_id);

// A provider's error answer relayed to the client: verbatim when the client speaks the
// upstream's format, else converted; the provider's status is kept.
http::Response relayed_upstream_error(Api api, Mode mode, unsigned status, std::string_view body,
                                      std::string_view trace_id);

// What the answer to a refused request tells clients about retrying it. The official OpenAI
// and Anthropic SDKs retry every 5xx unless told `x-should-retry: false`.
struct RetryHint {
  bool futile = false;                   // x-should-retry: false
  std::optional<int64_t> after_seconds;  // retry-after
};

// The hint for `error`: budget_exceeded is futile, with retry-after when every blocked
// candidate's budget reopens at a known time within a day (the earliest of them, in whole
// seconds rounded up); no_model_available is futile when every candidate was ruled out for the
// request's own reasons — not when candidates failed upstream, where a retry may help.
RetryHint retry_hint(const Error& error, const RefusalFacts& facts, int64_t now_ms);

// Sets x-should-retry / retry-after from `hint` (nothing when it has nothing to say).
void set_retry_headers(http::Response& response, const RetryHint& hint);

// The gateway's own error for a proxied call (client_error) with its retry hints.
http::Response call_error(const Call& call, const Error& error);

// A JSON body (already serialized) with the trace header.
http::Response json_reply(unsigned status, std::string body, std::string_view trace_id);

}  // namespace routerly::gateway
