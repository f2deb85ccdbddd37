#pragma once
// The one protocol-neutral error model. Expected failures travel as values
// (Result<T>); the HTTP layer maps them to the SPEC §00 envelope in one place.
#include <expected>
#include <string>
#include <string_view>

namespace routerly {

enum class ErrorCode {
  validation_error,    // 400
  unauthorized,        // 401
  forbidden,           // 403
  not_found,           // 404
  method_not_allowed,  // 405
  conflict,            // 409
  payload_too_large,   // 413
  headers_too_large,   // 431
  rate_limited,        // 429
  internal_error,      // 500
  upstream_error,      // 502
  budget_exceeded,     // 503
  no_model_available,  // 503
  upstream_timeout,    // 504
};

struct Error {
  ErrorCode code = ErrorCode::internal_error;
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

// Shorthand for `return fail(ErrorCode::x, "...")` inside functions returning Result<T>.
inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message)});
}

// HTTP status of a code (e.g. validation_error → 400).
unsigned http_status(ErrorCode code);
// The machine code string sent in the envelope (e.g. "validation_error").
std::string_view code_name(ErrorCode code);
// The SPEC §00.1 envelope: {"error":"<code>","message":"<message>"} serialized compactly.
std::string error_body(const Error& error);

}  // namespace routerly
