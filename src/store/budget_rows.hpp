#pragma once
// Durable budget counters as the stores keep them: what has been charged against budgets, per
// scope and time bucket. Charges are deltas (an amount added, or given back when negative), so
// writers never read-modify-write and concurrent writers add up.
#include <cstdint>
#include <string>

namespace routerly::store {

struct CounterDelta {
  std::string scope;  // whose use it is (the budget module's scope key)
  int64_t at_ms = 0;  // when it counts; the store keeps it in that instant's one-second bucket
  int64_t calls = 0, input_tokens = 0, output_tokens = 0;
  double cost = 0;
};

// Successful usage rows summed per (project, token, model) and time bucket: what the budget
// counters of an installation that predates them are filled from.
struct UsageGroup {
  std::string project_id, token_id, model_id;
  int64_t bucket_ms = 0;  // the bucket's first instant
  int64_t calls = 0, input_tokens = 0, output_tokens = 0;
  double cost = 0;
};

// Usage rows with timestamp in [next_ms, until_ms) are not yet in the counters.
struct CounterBackfill {
  int64_t next_ms = 0;
  int64_t until_ms = 0;
};

// The counters' resolution by age, alike in every backend: one-second buckets, merged into
// minutes after kCounterSecondsKeptMs and into hours after kCounterMinutesKeptMs (as long as the
// budget module reads them at that resolution).
inline constexpr int64_t kCounterSecondMs = 1000;
inline constexpr int64_t kCounterMinuteMs = 60 * kCounterSecondMs;
inline constexpr int64_t kCounterHourMs = 60 * kCounterMinuteMs;
inline constexpr int64_t kCounterSecondsKeptMs = 3 * kCounterHourMs;
inline constexpr int64_t kCounterMinutesKeptMs = 72 * kCounterHourMs;

// The start of the `width_ms` bucket holding `ms` (floor, also before the epoch).
inline int64_t counter_bucket(int64_t ms, int64_t width_ms) {
  return ms / width_ms * width_ms - (ms % width_ms < 0 ? width_ms : 0);
}

}  // namespace routerly::store
