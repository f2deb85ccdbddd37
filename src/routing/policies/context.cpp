// `context` (SPEC §5.3): the estimated prompt size against each model's contextWindow.
#include <cmath>

#include "routing/policies/common.hpp"

namespace routerly::routing::policies {

PolicyOutcome evaluate_context(const PolicyInput& in) {
  PolicyOutcome out = outcome_of("context");
  const double est = std::ceil(static_cast<double>(in.features.chars) / 4.0);
  for (const auto& c : in.candidates) {
    const double window = c.model ? number_or(*c.model, "contextWindow", 0) : 0;
    double point = 1.0;
    if (window > 0) {
      const double u = est / window;
      if (est >= window) {
        point = 0.0;
        out.excludes.push_back(c.model_id);
      } else if (u > 0.8) {
        point = 1.0 - ((u - 0.8) / 0.2) * 0.9;
      }
    }
    out.routing.push_back(PolicyPoint{c.model_id, point, std::nullopt});
  }
  return out;
}

}  // namespace routerly::routing::policies
