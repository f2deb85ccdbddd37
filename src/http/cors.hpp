#pragma once
// CORS (SPEC §00 P22 + §1.1). Pure functions over the protocol types, no Beast.
#include "http/message.hpp"
#include "http/server.hpp"

namespace routerly::http {

// The answer to a preflight (`OPTIONS` on any path). Lacking `Origin` or
// `Access-Control-Request-Method` → 400 validation_error. Allowed origin → 204 with the
// allow-methods/allow-headers/max-age headers; disallowed → a bare 204 (the browser blocks).
// apply_cors() still runs on the result like on every other response.
Response preflight_response(const Request& request, const OriginPolicy& origin_allowed);

// Adds `access-control-allow-origin: <origin>`, `access-control-expose-headers` and
// `vary: Origin` when the request carries an Origin the policy allows. Always strips
// `access-control-allow-credentials` (never sent, P22). An empty policy allows nothing.
void apply_cors(const Request& request, Response& response, const OriginPolicy& origin_allowed);

}  // namespace routerly::http
