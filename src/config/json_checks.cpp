#include "config/json_checks.hpp"

#include <boost/url/parse.hpp>
#include <cmath>
#include <limits>

namespace routerly::config::checks {

std::unexpected<Error> invalid(std::string_view field, std::string_view requirement) {
  std::string message = "field '";
  message += field;
  message += "' must ";
  message += requirement;
  return fail(ErrorCode::validation_error, std::move(message));
}

std::unexpected<Error> missing(std::string_view field) {
  return fail(ErrorCode::validation_error, "field '" + std::string(field) + "' is required");
}

std::string join(std::initializer_list<std::string_view> words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (s == w) return true;
  }
  return false;
}

std::optional<int64_t> as_integer(const boost::json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) {
    if (v.as_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(v.as_uint64());
  }
  if (v.is_double()) {
    double d = v.as_double();
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    if (!std::isfinite(d) || d != std::trunc(d) || std::fabs(d) >= 9223372036854775808.0) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> as_number(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  return std::nullopt;
}

namespace {

std::optional<boost::urls::url_view> http_url(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return std::nullopt;
  if (parsed->scheme_id() != boost::urls::scheme::http && parsed->scheme_id() != boost::urls::scheme::https) {
    return std::nullopt;
  }
  if (parsed->encoded_host().empty()) return std::nullopt;
  return *parsed;
}

}  // namespace

bool is_http_url(std::string_view text) {
  return http_url(text).has_value();
}

bool is_http_origin(std::string_view text) {
  auto url = http_url(text);
  return url && !url->has_userinfo() && url->encoded_path().empty() && !url->has_query() &&
         !url->has_fragment();
}

}  // namespace routerly::config::checks
