#pragma once
// Durable budget counters as the store keeps them: what has been charged against budgets, per
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

}  // namespace routerly::store
