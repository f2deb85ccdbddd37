#pragma once
// What an upstream answer means for the candidate loop (issue 3, SPEC §00 P2).
#include <string>
#include <string_view>

namespace routerly::gateway {

enum class Verdict {
  success,         // 2xx: serve it
  request_fault,   // 400, 422: the request itself is wrong; answer it, try no other model
  next_candidate,  // anything else (401, 403, 404, 408, 409, 429, 5xx, …): fall back
};

Verdict classify_status(unsigned status);

// The failure text kept in the trace and the no_model_available message:
// "<status> <provider's error message>", the message cut to 300 bytes.
std::string upstream_failure_text(unsigned status, std::string_view body);

}  // namespace routerly::gateway
