#pragma once
// Small helpers shared by the model, project, token and member handlers: lookups over a
// draft's document lists and field paths for validation messages.
#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace routerly::admin::catalog {

inline std::string_view text(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return v->as_string();
}

inline const boost::json::object* find_doc(const std::vector<boost::json::object>& docs,
                                           std::string_view id) {
  for (const auto& d : docs)
    if (text(d, "id") == id) return &d;
  return nullptr;
}

// "models" + 2 → "models[2]".
inline std::string indexed(std::string_view base, std::size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

inline std::unexpected<Error> invalid(std::string_view field, std::string_view what) {
  return fail(ErrorCode::validation_error, "field '" + std::string(field) + "' " + std::string(what));
}

// Body readers name the member they read ("field 'modelId' …"); inside a nested object the
// caller wants the full path ("field 'models[0].modelId' …").
template <class T>
Result<T> within(Result<T> r, std::string_view prefix) {
  if (r) return r;
  constexpr std::string_view kLead = "field '";
  std::string message = r.error().message;
  if (message.starts_with(kLead)) message.insert(kLead.size(), std::string(prefix) + ".");
  return fail(r.error().code, std::move(message));
}

}  // namespace routerly::admin::catalog
