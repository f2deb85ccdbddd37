#pragma once
// The handler boundary: the one place where a handler's exception becomes a response.
#include <functional>

#include "http/message.hpp"

namespace routerly::http {

// Runs `handler` (blocking; call it on the blocking pool). An exception becomes a
// 500 internal_error envelope and an error log line naming the exception type and the
// route (method + path, never headers, query or body). An empty handler answers 404.
Response call_guarded(const std::function<Response(Request&)>& handler, Request& request);

}  // namespace routerly::http
