// `performance` (SPEC §5.3): decayed mean latency of the good calls, relative to the fastest model.
// A model without enough samples gets 1.0 (no evidence against it), like health without history.
#include <algorithm>
#include <optional>

#include "routing/policies/common.hpp"

namespace routerly::routing::policies {

PolicyOutcome evaluate_performance(const PolicyInput& in) {
  PolicyOutcome out = outcome_of("performance");
  const double window_ms = number_or(in.config, "windowMinutes", 20) * kMinuteMs;
  const double half_life_ms = number_or(in.config, "halfLifeMinutes", 5) * kMinuteMs;
  const double min_samples = std::max(1.0, number_or(in.config, "minSamples", 1));
  const auto since = in.now_ms - static_cast<int64_t>(window_ms);
  std::vector<std::optional<double>> averages;
  std::size_t with_data = 0;
  double min_avg = 0;
  for (const auto& c : in.candidates) {
    double sum = 0, weights = 0;
    int count = 0;
    in.stats.visit(c.model_id, since, [&](const Sample& s) {
      if (s.timeout_or_error || s.latency_ms <= 0) return;
      const double w = decay(static_cast<double>(in.now_ms - s.timestamp_ms), half_life_ms);
      sum += w * static_cast<double>(s.latency_ms);
      weights += w;
      ++count;
    });
    if (count >= min_samples && weights > 0) {
      const double avg = sum / weights;
      min_avg = with_data == 0 ? avg : std::min(min_avg, avg);
      ++with_data;
      averages.emplace_back(avg);
    } else {
      averages.emplace_back(std::nullopt);
    }
  }
  for (std::size_t i = 0; i < in.candidates.size(); ++i) {
    double point = 1.0;
    if (with_data >= 2 && averages[i]) point = std::clamp(min_avg / *averages[i], 0.0, 1.0);
    out.routing.push_back(PolicyPoint{in.candidates[i].model_id, point, std::nullopt});
  }
  return out;
}

}  // namespace routerly::routing::policies
