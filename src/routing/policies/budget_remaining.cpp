// `budget-remaining` (SPEC §5.3): the tightest remaining fraction over the candidate's limit snapshots.
#include <algorithm>

#include "routing/policies/common.hpp"

namespace routerly::routing::policies {

PolicyOutcome evaluate_budget_remaining(const PolicyInput& in) {
  PolicyOutcome out = outcome_of("budget-remaining");
  for (const auto& c : in.candidates) {
    double point = 1.0;
    for (const budget::LimitState& l : c.limits)
      point = std::min(point, l.limit > 0 ? std::max(0.0, (l.limit - l.current) / l.limit) : 0.0);
    out.routing.push_back(PolicyPoint{c.model_id, point, std::nullopt});
  }
  return out;
}

}  // namespace routerly::routing::policies
