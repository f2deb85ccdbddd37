#pragma once
// The usage filters as SQL conditions with bound values, shared by the row queries and the
// rollup queries (whose tables carry the same filter columns under the same names), in either
// backend's placeholder style (?N for SQLite, $N for PostgreSQL).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/usage_rows.hpp"

namespace routerly::store {

struct Where {
  char mark = '?';  // what precedes a value's 1-based number in the SQL
  std::string sql;  // " WHERE ..." or empty
  std::vector<std::variant<std::string, int64_t>> values;

  void add(std::string_view condition);
  void equals(std::string_view column, const std::string& value);  // nothing when value is empty
  void equals_int(std::string_view column, int64_t value);
  void at_least(std::string_view column, int64_t value);
  void below(std::string_view column, int64_t value);
  // "?N" (or "$N") naming the next value, after appending it.
  std::string param(std::variant<std::string, int64_t> value);
};

// Appends every filter of `f` except time; `with_token_and_type` false leaves those two out
// (the coarse rollup grains do not carry them).
void add_column_filters(Where& w, const UsageFilter& f, bool with_token_and_type = true);

// Every filter of `f` on usage rows, time bounds included.
Where where_of_rows(const UsageFilter& f, char mark = '?');

}  // namespace routerly::store
