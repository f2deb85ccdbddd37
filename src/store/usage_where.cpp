#include "store/usage_where.hpp"

namespace routerly::store {

void Where::add(std::string_view condition) {
  sql += sql.empty() ? " WHERE " : " AND ";
  sql += condition;
}

std::string Where::param(std::variant<std::string, int64_t> value) {
  values.push_back(std::move(value));
  return mark + std::to_string(values.size());
}

void Where::equals(std::string_view column, const std::string& value) {
  if (value.empty()) return;
  add(std::string(column) + " = " + param(value));
}

void Where::equals_int(std::string_view column, int64_t value) {
  add(std::string(column) + " = " + param(value));
}

void Where::at_least(std::string_view column, int64_t value) {
  add(std::string(column) + " >= " + param(value));
}

void Where::below(std::string_view column, int64_t value) {
  add(std::string(column) + " < " + param(value));
}

void add_column_filters(Where& w, const UsageFilter& f, bool with_token_and_type) {
  w.equals("project_id", f.project_id);
  if (f.project_in) {
    if (f.project_in->empty()) {
      w.add("FALSE");
    } else {
      std::string in = "project_id IN (";
      for (std::size_t i = 0; i < f.project_in->size(); ++i)
        in += (i == 0 ? "" : ", ") + w.param((*f.project_in)[i]);
      w.add(in + ")");
    }
  }
  w.equals("model_id", f.model_id);
  w.equals("outcome", f.outcome);
  w.equals("call_type", f.call_type);
  if (with_token_and_type) {
    w.equals("type", f.type);
    w.equals("token_id", f.token_id);
  }
}

Where where_of_rows(const UsageFilter& f, char mark) {
  Where w;
  w.mark = mark;
  if (f.from_ms) w.at_least("timestamp_ms", *f.from_ms);
  if (f.to_ms) w.below("timestamp_ms", *f.to_ms);
  add_column_filters(w, f);
  return w;
}

}  // namespace routerly::store
