#include "budget/lease.hpp"

#include <algorithm>
#include <cmath>

namespace routerly::budget {

int64_t lease_units(const std::vector<Headroom>& limits, const Totals& need) {
  int64_t units = kLeaseMaxUnits;
  for (const Headroom& h : limits) {
    const double per_call = need.metric(h.limit->spec.metric);
    if (per_call <= 0) continue;
    const double left = h.limit->spec.value - h.current;
    const double share = std::floor(left / per_call / static_cast<double>(kLeaseShare));
    units = std::min(units, std::max<int64_t>(1, share >= static_cast<double>(kLeaseMaxUnits)
                                                     ? kLeaseMaxUnits
                                                     : static_cast<int64_t>(std::max(share, 0.0))));
  }
  return units;
}

int64_t lease_end(const std::vector<Headroom>& limits, int64_t now_ms) {
  // Every calendar window starts on a UTC hour: a lease that never outlives its hour never
  // books use into a later calendar window, whichever limits opened it.
  int64_t end = std::min(now_ms + kLeaseEpochMs, period_end("hourly", now_ms));
  for (const Headroom& h : limits) {
    const Window& w = h.limit->spec.window;
    end = std::min(end, w.rolling ? now_ms + std::max(kSecondMs, w.rolling_length_ms() / 10)
                                  : period_end(w.period, now_ms));
  }
  return end;
}

bool lease_covers(const Totals& free, const Totals& need, const std::vector<Headroom>& limits) {
  return std::all_of(limits.begin(), limits.end(), [&](const Headroom& h) {
    const std::string& metric = h.limit->spec.metric;
    return free.metric(metric) >= need.metric(metric);
  });
}

Totals lease_deficit(const Totals& free) {
  return Totals{std::max(0.0, -free.cost), std::max<int64_t>(0, -free.calls),
                std::max<int64_t>(0, -free.input_tokens), std::max<int64_t>(0, -free.output_tokens)};
}

}  // namespace routerly::budget
