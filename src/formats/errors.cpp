#include "formats/errors.hpp"

#include "formats/json_fields.hpp"

#include <cctype>

namespace routerly::formats {

namespace json = boost::json;
using detail::field;
using detail::string_or;

namespace {
constexpr std::size_t kMaxMessageBytes = 1000;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string message_in(const json::value& body) {
  if (const json::array* list = body.if_array())
    return list->empty() ? std::string() : message_in(list->front());
  const json::object* obj = body.if_object();
  if (!obj) return body.is_string() ? std::string(body.get_string()) : std::string();
  if (const json::value* error = field(*obj, "error")) {
    if (error->is_string()) return std::string(error->get_string());
    if (const json::object* inner = error->if_object()) {
      if (std::string_view m = string_or(*inner, "message"); !m.empty()) return std::string(m);
    }
  }
  return std::string(string_or(*obj, "message"));
}

std::string_view anthropic_type_for_status(unsigned status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

std::string_view openai_type_for_status(unsigned status) {
  if (status == 401) return "authentication_error";
  if (status == 403) return "permission_error";
  if (status == 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

std::string_view openai_type_for_anthropic(std::string_view type) {
  if (type == "authentication_error" || type == "permission_error" || type == "rate_limit_error") return type;
  if (type == "billing_error") return "insufficient_quota";
  if (type == "invalid_request_error" || type == "not_found_error" || type == "request_too_large") {
    return "invalid_request_error";
  }
  if (type == "api_error" || type == "overloaded_error" || type == "timeout_error") return "server_error";
  return {};
}
}  // namespace

std::string_view openai_error_type(ErrorCode code) {
  switch (code) {
    case ErrorCode::unauthorized:
      return "authentication_error";
    case ErrorCode::forbidden:
      return "permission_error";
    case ErrorCode::rate_limited:
      return "rate_limit_error";
    case ErrorCode::budget_exceeded:
      return "insufficient_quota";
    case ErrorCode::internal_error:
    case ErrorCode::upstream_error:
    case ErrorCode::no_model_available:
    case ErrorCode::upstream_timeout:
      return "server_error";
    default:
      return "invalid_request_error";
  }
}

std::string_view anthropic_error_type(ErrorCode code) {
  switch (code) {
    case ErrorCode::unauthorized:
      return "authentication_error";
    case ErrorCode::forbidden:
      return "permission_error";
    case ErrorCode::not_found:
      return "not_found_error";
    case ErrorCode::payload_too_large:
      return "request_too_large";
    case ErrorCode::rate_limited:
    case ErrorCode::budget_exceeded:
      return "rate_limit_error";
    case ErrorCode::upstream_timeout:
      return "timeout_error";
    case ErrorCode::no_model_available:
      return "overloaded_error";
    case ErrorCode::internal_error:
    case ErrorCode::upstream_error:
      return "api_error";
    default:
      return "invalid_request_error";
  }
}

json::object openai_error_body(const Error& error) {
  json::object inner{{"message", error.message},
                     {"type", openai_error_type(error.code)},
                     {"param", nullptr},
                     {"code", code_name(error.code)}};
  return json::object{{"error", std::move(inner)}};
}

json::object anthropic_error_body(const Error& error) {
  json::object inner{{"type", anthropic_error_type(error.code)}, {"message", error.message}};
  return json::object{{"type", "error"}, {"error", std::move(inner)}};
}

std::string upstream_error_message(unsigned status, std::string_view body) {
  std::string message;
  if (auto parsed = detail::parse_json(body)) {
    message = message_in(*parsed);
  } else {
    message = std::string(trim(body));
  }
  if (message.size() > kMaxMessageBytes) message.resize(kMaxMessageBytes);
  if (message.empty()) message = "HTTP " + std::to_string(status);
  return message;
}

json::object anthropic_error_to_openai(unsigned status, std::string_view body) {
  std::string_view anthropic_type;
  auto parsed = detail::parse_json(body);
  if (parsed && parsed->is_object()) {
    if (const json::object* error = detail::object_field(parsed->get_object(), "error")) {
      anthropic_type = string_or(*error, "type");
    }
  }
  std::string_view type = openai_type_for_anthropic(anthropic_type);
  if (type.empty()) type = openai_type_for_status(status);
  json::object inner{{"message", upstream_error_message(status, body)}, {"type", type}, {"param", nullptr}};
  if (anthropic_type.empty()) {
    inner["code"] = nullptr;
  } else {
    inner["code"] = anthropic_type;
  }
  return json::object{{"error", std::move(inner)}};
}

json::object openai_error_to_anthropic(unsigned status, std::string_view body) {
  json::object inner{{"type", anthropic_type_for_status(status)},
                     {"message", upstream_error_message(status, body)}};
  return json::object{{"type", "error"}, {"error", std::move(inner)}};
}

}  // namespace routerly::formats
