// `health` (SPEC §5.3): decayed, smoothed error rate with a circuit breaker that excludes.
#include <algorithm>

#include "routing/policies/common.hpp"

namespace routerly::routing::policies {

PolicyOutcome evaluate_health(const PolicyInput& in) {
  PolicyOutcome out = outcome_of("health");
  const double window_ms = number_or(in.config, "windowMinutes", 20) * kMinuteMs;
  const double half_life_ms = number_or(in.config, "halfLifeMinutes", 5) * kMinuteMs;
  const double pseudo = number_or(in.config, "pseudoCounts", 2);
  const double breaker = number_or(in.config, "circuitBreaker", 0.9);
  const auto since = in.now_ms - static_cast<int64_t>(window_ms);
  for (const auto& c : in.candidates) {
    double point = 1.0;
    double errors = 0, total = 0;
    std::size_t seen = 0;
    in.stats.visit(c.model_id, since, [&](const Sample& s) {
      const double w = decay(static_cast<double>(in.now_ms - s.timestamp_ms), half_life_ms);
      total += w;
      if (s.failed) errors += w;
      ++seen;
    });
    if (seen > 0) {
      const double raw = total > 0 ? errors / total : 0;
      const double smoothed = total + pseudo > 0 ? errors / (total + pseudo) : 0;
      point = raw >= breaker ? 0.0 : std::clamp(1.0 - smoothed, 0.0, 1.0);
    }
    if (point == 0.0) out.excludes.push_back(c.model_id);
    out.routing.push_back(PolicyPoint{c.model_id, point, std::nullopt});
  }
  return out;
}

}  // namespace routerly::routing::policies
