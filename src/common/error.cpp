#include "common/error.hpp"

#include <boost/json.hpp>

namespace routerly {

namespace {
struct CodeInfo {
  unsigned status;
  std::string_view name;
};

CodeInfo info(ErrorCode code) {
  switch (code) {
    case ErrorCode::validation_error: return {400, "validation_error"};
    case ErrorCode::unauthorized: return {401, "unauthorized"};
    case ErrorCode::forbidden: return {403, "forbidden"};
    case ErrorCode::not_found: return {404, "not_found"};
    case ErrorCode::method_not_allowed: return {405, "method_not_allowed"};
    case ErrorCode::conflict: return {409, "conflict"};
    case ErrorCode::payload_too_large: return {413, "payload_too_large"};
    case ErrorCode::headers_too_large: return {431, "headers_too_large"};
    case ErrorCode::rate_limited: return {429, "rate_limited"};
    case ErrorCode::internal_error: return {500, "internal_error"};
    case ErrorCode::upstream_error: return {502, "upstream_error"};
    case ErrorCode::budget_exceeded: return {503, "budget_exceeded"};
    case ErrorCode::no_model_available: return {503, "no_model_available"};
    case ErrorCode::upstream_timeout: return {504, "upstream_timeout"};
  }
  return {500, "internal_error"};
}
}  // namespace

unsigned http_status(ErrorCode code) { return info(code).status; }
std::string_view code_name(ErrorCode code) { return info(code).name; }

std::string error_body(const Error& error) {
  boost::json::object body;
  body["error"] = code_name(error.code);
  body["message"] = error.message;
  return boost::json::serialize(body);
}

}  // namespace routerly
