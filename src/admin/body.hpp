#pragma once
// Parsing and validating JSON request bodies. Every failure is a validation_error whose
// message names the offending field ("field 'name' must be a non-empty string").
#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "http/message.hpp"

namespace routerly::admin {

// The body as a JSON object (empty body → validation_error "request body must be a JSON object").
Result<boost::json::object> parse_object(const http::Request& req);

// Field readers: absent or null → nullopt; present with the wrong type → validation_error.
Result<std::optional<std::string>> opt_string(const boost::json::object& o, std::string_view field);
Result<std::string> req_string(const boost::json::object& o, std::string_view field);  // non-empty
Result<std::optional<double>> opt_number(const boost::json::object& o, std::string_view field,
                                         double min = 0);
Result<std::optional<int64_t>> opt_integer(const boost::json::object& o, std::string_view field,
                                           int64_t min = 0);
Result<std::optional<bool>> opt_bool(const boost::json::object& o, std::string_view field);
Result<std::optional<std::vector<std::string>>> opt_string_array(const boost::json::object& o,
                                                                 std::string_view field);
Result<std::optional<boost::json::array>> opt_array(const boost::json::object& o, std::string_view field);
Result<std::optional<boost::json::object>> opt_object(const boost::json::object& o, std::string_view field);
// Value must be one of `allowed`.
Result<std::optional<std::string>> opt_enum(const boost::json::object& o, std::string_view field,
                                            std::initializer_list<std::string_view> allowed);

// Turns a Result error into the HTTP response; shorthand used by every handler.
http::Response respond(const Error& error);

}  // namespace routerly::admin
