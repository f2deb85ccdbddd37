#include "admin/body.hpp"

#include <cmath>
#include <limits>

namespace routerly::admin {

namespace json = boost::json;

namespace {

std::string quoted(std::string_view field) {
  return "field '" + std::string(field) + "'";
}

std::unexpected<Error> invalid(std::string_view field, std::string_view what) {
  return fail(ErrorCode::validation_error, quoted(field) + " " + std::string(what));
}

// Prints 0 as "0" and 0.5 as "0.5" (no trailing zeros) for messages.
std::string number_text(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<int64_t>(value));
  std::string text = std::to_string(value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

// The member, or nullptr when absent or null.
const json::value* member(const json::object& o, std::string_view field) {
  const json::value* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return nullptr;
  return v;
}

}  // namespace

Result<json::object> parse_object(const http::Request& req) {
  if (req.body.empty()) return fail(ErrorCode::validation_error, "request body must be a JSON object");
  boost::system::error_code ec;
  json::value value = json::parse(req.body, ec);
  if (ec) return fail(ErrorCode::validation_error, "request body is not valid JSON: " + ec.message());
  if (!value.is_object()) return fail(ErrorCode::validation_error, "request body must be a JSON object");
  return std::move(value.as_object());
}

Result<std::optional<std::string>> opt_string(const json::object& o, std::string_view field) {
  const json::value* v = member(o, field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) return invalid(field, "must be a string");
  return std::string(v->as_string());
}

Result<std::string> req_string(const json::object& o, std::string_view field) {
  const json::value* v = member(o, field);
  if (v == nullptr) return invalid(field, "is required");
  if (!v->is_string()) return invalid(field, "must be a string");
  if (v->as_string().empty()) return invalid(field, "must be a non-empty string");
  return std::string(v->as_string());
}

Result<std::optional<double>> opt_number(const json::object& o, std::string_view field, double min) {
  const json::value* v = member(o, field);
  if (v == nullptr) return std::nullopt;
  double value = 0;
  if (v->is_int64()) {
    value = static_cast<double>(v->as_int64());
  } else if (v->is_uint64()) {
    value = static_cast<double>(v->as_uint64());
  } else if (v->is_double()) {
    value = v->as_double();
  } else {
    return invalid(field, "must be a number");
  }
  if (!std::isfinite(value) || value < min) return invalid(field, "must be a number >= " + number_text(min));
  return value;
}

Result<std::optional<int64_t>> opt_integer(const json::object& o, std::string_view field, int64_t min) {
  const json::value* v = member(o, field);
  if (v == nullptr) return std::nullopt;
  std::string expectation = "must be an integer >= " + std::to_string(min);
  int64_t value = 0;
  if (v->is_int64()) {
    value = v->as_int64();
  } else if (v->is_uint64()) {
    if (v->as_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return invalid(field, expectation);
    value = static_cast<int64_t>(v->as_uint64());
  } else if (v->is_double()) {
    // 5.0 is accepted as 5; 5.5 is not an integer.
    double d = v->as_double();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15) return invalid(field, expectation);
    value = static_cast<int64_t>(d);
  } else {
    return invalid(field, expectation);
  }
  if (value < min) return invalid(field, expectation);
  return value;
}

Result<std::optional<bool>> opt_bool(const json::object& o, std::string_view field) {
  const json::value* v = member(o, field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) return invalid(field, "must be a boolean");
  return v->as_bool();
}

Result<std::optional<std::vector<std::string>>> opt_string_array(const json::object& o,
                                                                 std::string_view field) {
  const json::value* v = member(o, field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) return invalid(field, "must be an array of strings");
  std::vector<std::string> out;
  out.reserve(v->as_array().size());
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    const json::value& item = v->as_array()[i];
    if (!item.is_string())
      return invalid(std::string(field) + "[" + std::to_string(i) + "]", "must be a string");
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<std::optional<json::array>> opt_array(const json::object& o, std::string_view field) {
  const json::value* v = member(o, field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) return invalid(field, "must be an array");
  return v->as_array();
}

Result<std::optional<json::object>> opt_object(const json::object& o, std::string_view field) {
  const json::value* v = member(o, field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) return invalid(field, "must be an object");
  return v->as_object();
}

Result<std::optional<std::string>> opt_enum(const json::object& o, std::string_view field,
                                            std::initializer_list<std::string_view> allowed) {
  auto value = opt_string(o, field);
  if (!value || !*value) return value;
  for (std::string_view a : allowed)
    if (a == **value) return value;
  std::string list;
  for (std::string_view a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  return invalid(field, "must be one of: " + list);
}

http::Response respond(const Error& error) {
  return http::Response::error(error);
}

}  // namespace routerly::admin
