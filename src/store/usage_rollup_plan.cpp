#include "store/usage_rollup_plan.hpp"

#include <algorithm>

namespace routerly::store {

namespace {

// Far beyond any timestamp, small enough that rounding it up to a day cannot overflow.
constexpr int64_t kOpenEnd = int64_t{1} << 62;

int64_t floor_to(int64_t v, int64_t unit) {
  return v / unit * unit;  // v >= 0
}
int64_t ceil_to(int64_t v, int64_t unit) {
  return (v + unit - 1) / unit * unit;
}

}  // namespace

int64_t grain_ms(Grain g) {
  return g == Grain::hour ? kHourMs : kDayMs;
}

bool grain_is_full(Grain g) {
  return g == Grain::day_full;
}

void add_to_delta(RollupDelta& delta, const UsageRow& row) {
  for (Grain g : kGrains) {
    RollupKey key;
    key.grain = static_cast<int>(g);
    key.bucket_ms = floor_to(std::max<int64_t>(row.timestamp_ms, 0), grain_ms(g));
    key.project_id = row.project_id;
    key.model_id = row.model_id;
    key.call_type = row.call_type;
    key.outcome = row.outcome;
    if (grain_is_full(g)) {
      key.token_id = row.token_id;
      key.type = row.type;
    }
    RollupSums& s = delta[std::move(key)];
    ++s.calls;
    s.input_tokens += row.input_tokens;
    s.output_tokens += row.output_tokens;
    s.cached_input_tokens += row.cached_input_tokens;
    s.cost += row.cost;
    s.latency_sum_ms += row.latency_ms;
    s.latency.add(row.latency_ms);
  }
}

std::vector<WindowPiece> plan_window(std::optional<int64_t> from_ms, std::optional<int64_t> to_ms,
                                     bool hourly, bool full) {
  const int64_t from = std::clamp<int64_t>(from_ms.value_or(0), 0, kOpenEnd);
  const int64_t to = std::clamp<int64_t>(to_ms.value_or(kOpenEnd), 0, kOpenEnd);
  std::vector<WindowPiece> pieces;
  auto piece = [&](int64_t a, int64_t b, std::optional<Grain> g) {
    if (a < b) pieces.push_back(WindowPiece{a, b, g});
  };
  if (from >= to) return pieces;
  const int64_t d0 = ceil_to(from, kDayMs), d1 = floor_to(to, kDayMs);
  if (full) {  // whole days from day_full when the buckets allow, the rest from the rows
    if (hourly || d0 >= d1) {
      piece(from, to, std::nullopt);
    } else {
      piece(from, d0, std::nullopt);
      piece(d0, d1, Grain::day_full);
      piece(d1, to, std::nullopt);
    }
    return pieces;
  }
  const int64_t h0 = ceil_to(from, kHourMs), h1 = floor_to(to, kHourMs);
  if (h0 >= h1) {
    piece(from, to, std::nullopt);
    return pieces;
  }
  piece(from, h0, std::nullopt);
  if (!hourly && d0 < d1) {
    piece(h0, d0, Grain::hour);
    piece(d0, d1, Grain::day);
    piece(d1, h1, Grain::hour);
  } else {
    piece(h0, h1, Grain::hour);
  }
  piece(h1, to, std::nullopt);
  return pieces;
}

}  // namespace routerly::store
