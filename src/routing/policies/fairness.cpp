// `fairness` (SPEC §5.3): spreads this project's successful calls over its models.
#include "routing/policies/common.hpp"

namespace routerly::routing::policies {

PolicyOutcome evaluate_fairness(const PolicyInput& in) {
  PolicyOutcome out = outcome_of("fairness");
  const double window_ms = number_or(in.config, "windowMinutes", 60) * kMinuteMs;
  const auto since = in.now_ms - static_cast<int64_t>(window_ms);
  std::vector<double> counts;
  double total = 0;
  for (const auto& c : in.candidates) {
    double count = 0;
    in.stats.visit(c.model_id, since, [&](const Sample& s) {
      if (s.success && s.project_id == in.project_id) ++count;
    });
    counts.push_back(count);
    total += count;
  }
  for (std::size_t i = 0; i < in.candidates.size(); ++i)
    out.routing.push_back(
        PolicyPoint{in.candidates[i].model_id, total > 0 ? 1.0 - counts[i] / total : 1.0, std::nullopt});
  return out;
}

}  // namespace routerly::routing::policies
