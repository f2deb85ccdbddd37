#pragma once
// Client-format error bodies (SPEC §00 P1): what a client of one wire format sees when an
// error must be expressed in that format — a translated provider error, or an error after
// a stream has started. Errors the gateway answers before any stream use common/error.hpp's
// envelope instead.
#include "common/error.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace routerly::formats {

// OpenAI `error.type` for a gateway error: invalid_request_error, authentication_error,
// permission_error, rate_limit_error, insufficient_quota (budget) or server_error.
std::string_view openai_error_type(ErrorCode code);
// Anthropic `error.type`: invalid_request_error, authentication_error, permission_error,
// not_found_error, request_too_large, rate_limit_error, timeout_error, overloaded_error, api_error.
std::string_view anthropic_error_type(ErrorCode code);

// {"error":{"message","type","param":null,"code":<gateway code name>}}
boost::json::object openai_error_body(const Error& error);
// {"type":"error","error":{"type","message"}}
boost::json::object anthropic_error_body(const Error& error);

// The human message inside any provider's error body: OpenAI/Anthropic `error.message`, a
// string `error`, a top-level `message`, the first element of an array body (Gemini), else the
// body text itself (trimmed, at most 1000 bytes); "HTTP <status>" when the body says nothing.
std::string upstream_error_message(unsigned status, std::string_view body);

// An Anthropic upstream error (status + raw body) in OpenAI's format: the Anthropic error type
// picks the OpenAI type (else the status does) and is kept as `code`.
boost::json::object anthropic_error_to_openai(unsigned status, std::string_view body);
// An OpenAI-compatible upstream error in Anthropic's format: the status picks the type
// (400 invalid_request_error, 401 authentication_error, 402 billing_error, 403 permission_error,
// 404 not_found_error, 413 request_too_large, 429 rate_limit_error, 503/529 overloaded_error,
// 504 timeout_error, other 5xx api_error, other 4xx invalid_request_error).
boost::json::object openai_error_to_anthropic(unsigned status, std::string_view body);

}  // namespace routerly::formats
