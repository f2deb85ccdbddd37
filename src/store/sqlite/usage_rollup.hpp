#pragma once
// The SQLite side of the usage rollups (usage_rollup_plan.hpp): the usage_rollup table's
// upserts, with latency histograms merged by a function registered on each connection.
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "store/usage_columns.hpp"
#include "store/usage_rollup_plan.hpp"
#include "store/usage_rows.hpp"

namespace routerly::store::sqlite {

// The usage columns a rollup sums, rowid first: what the backfill and retention read.
inline const std::string kRowidAndRollupSource = "rowid, " + std::string(kRollupSourceColumns);
class Statement;
// The row's kRowidAndRollupSource (the rest of the UsageRow left default) and its rowid.
UsageRow read_rollup_source(const Statement& stmt, int64_t& rowid);

// Adds (sign 1) or subtracts (sign -1) the delta inside the caller's write transaction; keys
// whose calls reach zero are deleted. Needs register_rollup_functions() on the connection.
Result<void> apply_delta(sqlite3* db, const RollupDelta& delta, int sign);

// rollup_hist_merge(a, b, sign): the encoded histogram a + sign·b (used by apply_delta).
Result<void> register_rollup_functions(sqlite3* db);

}  // namespace routerly::store::sqlite
