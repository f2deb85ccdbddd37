// `cheapest` (SPEC §5.3): average of input and output price per million, relative to the cheapest paid model.
#include <limits>

#include "routing/policies/common.hpp"

namespace routerly::routing::policies {

namespace {
double average_price(const PolicyCandidate& c) {
  if (!c.model) return 0;
  const boost::json::value* cost = c.model->if_contains("cost");
  if (!cost || !cost->is_object()) return 0;
  return (number_or(cost->get_object(), "inputPerMillion", 0) +
          number_or(cost->get_object(), "outputPerMillion", 0)) /
         2;
}
}  // namespace

PolicyOutcome evaluate_cheapest(const PolicyInput& in) {
  PolicyOutcome out = outcome_of("cheapest");
  double min_paid = std::numeric_limits<double>::infinity();
  bool any_free = false;
  std::vector<double> avgs;
  for (const auto& c : in.candidates) {
    const double avg = average_price(c);
    avgs.push_back(avg);
    if (avg > 0)
      min_paid = std::min(min_paid, avg);
    else
      any_free = true;
  }
  const double ceiling = any_free ? 0.5 : 1.0;
  for (std::size_t i = 0; i < in.candidates.size(); ++i) {
    const double point = avgs[i] > 0 ? ceiling * min_paid / avgs[i] : 1.0;
    out.routing.push_back(PolicyPoint{in.candidates[i].model_id, point, std::nullopt});
  }
  return out;
}

}  // namespace routerly::routing::policies
