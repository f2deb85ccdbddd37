#pragma once
// Usage rollups: the usage rows summed per time bucket and per value of every column the
// usage filters accept, kept by each backend in its usage_rollup table, in the same transaction as the rows
// they sum (insert adds, retention subtracts). Three grains of the same sums:
//   hour      per hour    × project × model × call type × outcome
//   day       per UTC day × project × model × call type × outcome
//   day_full  per UTC day × project × model × call type × outcome × token × type
// The coarse grains answer every filter but token and type with few rows; day_full answers
// those two for whole days (an hourly grain with token and type would hold about one rollup row
// per usage row, so those filters read the rows for partial days instead). A query window is
// cut into whole days (a day grain), whole hours at its edges (the hour grain) and what is left
// (raw rows, through the time index), so answers are exactly what summing the rows gives.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "store/latency_histogram.hpp"
#include "store/usage_rows.hpp"

namespace routerly::store {

inline constexpr int64_t kHourMs = 3'600'000;
inline constexpr int64_t kDayMs = 86'400'000;

// Stored numbers: never reuse one.
enum class Grain : int { hour = 1, day = 2, day_full = 3 };
inline constexpr Grain kGrains[] = {Grain::hour, Grain::day, Grain::day_full};
int64_t grain_ms(Grain g);
bool grain_is_full(Grain g);

struct RollupKey {
  int grain = 0;
  int64_t bucket_ms = 0;  // start of the hour or day
  std::string project_id, model_id, call_type, outcome;
  std::string token_id, type;  // empty in the coarse grains
  auto tie() const {
    return std::tie(grain, bucket_ms, project_id, model_id, call_type, outcome, token_id, type);
  }
  bool operator<(const RollupKey& o) const { return tie() < o.tie(); }
};

struct RollupSums {
  int64_t calls = 0, input_tokens = 0, output_tokens = 0, cached_input_tokens = 0, latency_sum_ms = 0;
  double cost = 0;
  LatencyHistogram latency;
};

// Rows summed per rollup key of every grain: what one insert (or purge) batch changes.
using RollupDelta = std::map<RollupKey, RollupSums>;
void add_to_delta(RollupDelta& delta, const UsageRow& row);

// One piece of a query window: [from_ms, to_ms) read from a grain, or from the raw rows.
struct WindowPiece {
  int64_t from_ms = 0, to_ms = 0;
  std::optional<Grain> grain;  // nullopt: raw rows
  bool operator==(const WindowPiece&) const = default;
};

// Cuts [from, to) into pieces, largest grain first where whole buckets fit: whole days from a
// day grain unless `hourly` (an hour-bucketed timeline or series needs hour rows), whole hours
// from the hour grain, the rest from raw rows. `full` (a token or type filter) uses day_full
// for whole days and raw rows for everything else. Empty pieces are left out; an absent bound
// is open (timestamps are never negative).
std::vector<WindowPiece> plan_window(std::optional<int64_t> from_ms, std::optional<int64_t> to_ms,
                                     bool hourly, bool full);

}  // namespace routerly::store
