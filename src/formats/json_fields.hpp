#pragma once
// Small read helpers over Boost.JSON shared by the translators. Lookups never throw: a missing
// key and a JSON null both read as "absent"; typed getters return nullptr/nullopt on a type
// mismatch so each translator decides whether that is an error and names the field.
#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace routerly::formats::detail {

namespace json = boost::json;

// The value under `key`, or nullptr when missing or JSON null.
inline const json::value* field(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}
inline const json::object* object_field(const json::object& obj, std::string_view key) {
  const json::value* v = field(obj, key);
  return v ? v->if_object() : nullptr;
}
inline const json::array* array_field(const json::object& obj, std::string_view key) {
  const json::value* v = field(obj, key);
  return v ? v->if_array() : nullptr;
}
inline const json::string* string_field(const json::object& obj, std::string_view key) {
  const json::value* v = field(obj, key);
  return v ? v->if_string() : nullptr;
}
// The string under `key`, or `fallback` when absent or not a string.
inline std::string_view string_or(const json::object& obj, std::string_view key,
                                  std::string_view fallback = {}) {
  const json::string* s = string_field(obj, key);
  return s ? std::string_view(*s) : fallback;
}

// An integral JSON number (int64, uint64 or a whole double) as int64, else nullopt.
std::optional<int64_t> as_int(const json::value& v);
// as_int of obj[key], 0 when absent or not a number.
int64_t int_or_zero(const json::object& obj, std::string_view key);
// Compact JSON text of a value (used where a wire format wants JSON inside a string).
inline std::string to_text(const json::value& v) {
  return json::serialize(v);
}

// Parses JSON text; nullopt on malformed input (never throws).
std::optional<json::value> parse_json(std::string_view text);

// "messages[2].content" style paths for validation messages.
inline std::string path(std::string_view base, std::size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}
inline std::string path(std::string_view base, std::string_view key) {
  return std::string(base) + "." + std::string(key);
}

}  // namespace routerly::formats::detail
