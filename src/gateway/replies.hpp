#pragma once
// Error answers in the client's wire format (SPEC §00 P1) and the headers every proxy
// response carries.
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

// A JSON body (already serialized) with the trace header.
http::Response json_reply(unsigned status, std::string body, std::string_view trace_id);

}  // namespace routerly::gateway
