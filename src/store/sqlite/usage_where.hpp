#pragma once
// The usage filters as SQL conditions with bound values, shared by the row queries and the
// rollup queries (whose tables carry the same filter columns under the same names).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/sqlite/statement.hpp"
#include "store/usage_rows.hpp"

namespace routerly::store::sqlite {

struct Where {
  std::string sql;  // " WHERE ..." or empty
  std::vector<std::variant<std::string, int64_t>> values;

  void add(std::string_view condition);
  void equals(std::string_view column, const std::string& value);  // nothing when value is empty
  void equals_int(std::string_view column, int64_t value);
  void at_least(std::string_view column, int64_t value);
  void below(std::string_view column, int64_t value);
  // "?N" naming the next value, after appending it.
  std::string param(std::variant<std::string, int64_t> value);
  // Binds the values from index 1; returns the next free index.
  int bind(Statement& stmt) const;
};

// Appends every filter of `f` except time; `with_token_and_type` false leaves those two out
// (the coarse rollup grains do not carry them).
void add_column_filters(Where& w, const UsageFilter& f, bool with_token_and_type = true);

// Every filter of `f` on usage rows, time bounds included.
Where where_of_rows(const UsageFilter& f);

}  // namespace routerly::store::sqlite
