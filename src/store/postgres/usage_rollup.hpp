#pragma once
// The PostgreSQL side of the usage rollups (usage_rollup_plan.hpp): latency histograms kept as
// arrays of bucket counts, and the multi-row upserts that add a delta to the usage_rollup table.
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "store/latency_histogram.hpp"
#include "store/postgres/connection.hpp"
#include "store/usage_rollup_plan.hpp"

namespace routerly::store::postgres {

// "{c0,c1,...}" up to the last non-empty bucket: a BIGINT[] literal.
std::string histogram_array(const LatencyHistogram& histogram);
// The counts of a BIGINT[] as PostgreSQL prints it; what cannot be read is left out.
LatencyHistogram parse_histogram_array(std::string_view text);

// Adds (sign 1) or subtracts (sign -1) the delta inside the caller's transaction, keys in
// order (so that concurrent writers lock rows in the same order); keys whose calls reach zero
// are deleted.
Result<void> apply_delta(Connection& conn, const RollupDelta& delta, int sign);

}  // namespace routerly::store::postgres
