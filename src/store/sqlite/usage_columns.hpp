#pragma once
// The usage table's column list and the row ⇄ statement mapping shared by the usage files.
#include <string_view>

#include "store/sqlite/statement.hpp"
#include "store/usage_columns.hpp"
#include "store/usage_rows.hpp"

namespace routerly::store::sqlite {

// read_usage_columns on the statement's current row.
UsageRow read_usage_row(const Statement& row, bool with_trace);

}  // namespace routerly::store::sqlite
