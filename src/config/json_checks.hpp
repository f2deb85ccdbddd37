#pragma once
// Small validation helpers shared by the config module's input checks (settings, limits).
// Messages follow one pattern: "field '<name>' must <requirement>".
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::config::checks {

// validation_error "field '<field>' must <requirement>".
std::unexpected<Error> invalid(std::string_view field, std::string_view requirement);
// validation_error "field '<field>' is required".
std::unexpected<Error> missing(std::string_view field);

// "a, b, c" for messages like "must be one of a, b, c".
std::string join(std::initializer_list<std::string_view> words);
bool is_one_of(std::string_view s, std::initializer_list<std::string_view> words);

// A JSON number with an integral value (1000 and 1000.0 both count), else nullopt.
std::optional<int64_t> as_integer(const boost::json::value& v);
std::optional<double> as_number(const boost::json::value& v);

// Absolute http:// or https:// URL with a host.
bool is_http_url(std::string_view text);
// A browser origin: http(s)://host[:port] with nothing after it.
bool is_http_origin(std::string_view text);

}  // namespace routerly::config::checks
