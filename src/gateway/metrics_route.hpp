#pragma once
// GET /metrics: Prometheus text format 0.0.4, for the main port or the separate metrics
// listener (the composition root decides which serves it).
#include "http/message.hpp"

namespace routerly::gateway {

// Public unless ROUTERLY_METRICS_TOKEN is set: then `Authorization: Bearer <token>` is required
// (401 otherwise, compared in constant time). A blocking-pool handler.
http::Response metrics_response(const http::Request& request);

}  // namespace routerly::gateway
