// `rate-limit` (SPEC §5.3): spreads calls over the models whose global limits cap `calls`.
#include <algorithm>
#include <optional>

#include "routing/policies/common.hpp"

namespace routerly::routing::policies {

namespace {
bool has_calls_limit(const PolicyCandidate& c) {
  if (!c.model) return false;
  const boost::json::value* limits = c.model->if_contains("limits");
  if (!limits || !limits->is_array()) return false;
  return std::any_of(limits->get_array().begin(), limits->get_array().end(), [](const boost::json::value& l) {
    if (!l.is_object()) return false;
    const boost::json::value* m = l.get_object().if_contains("metric");
    return m && m->is_string() && m->get_string() == "calls";
  });
}
}  // namespace

PolicyOutcome evaluate_rate_limit(const PolicyInput& in) {
  PolicyOutcome out = outcome_of("rate-limit");
  const double window_ms = number_or(in.config, "windowMinutes", 1) * kMinuteMs;
  const bool capped = has_number(in.config, "maxCallsPerWindow");
  const double max_calls = capped ? number_or(in.config, "maxCallsPerWindow", 0) : 0;
  const auto since = in.now_ms - static_cast<int64_t>(window_ms);
  // count per candidate; nullopt = not limited (scores 1.0), -1 = excluded
  std::vector<std::optional<double>> counts;
  double min_nonzero = 0;
  for (const auto& c : in.candidates) {
    if (!has_calls_limit(c)) {
      counts.emplace_back(std::nullopt);
      continue;
    }
    const double count = static_cast<double>(in.stats.count(c.model_id, since));
    if (capped && count >= max_calls) {
      counts.emplace_back(-1.0);
      continue;
    }
    if (count > 0) min_nonzero = min_nonzero == 0 ? count : std::min(min_nonzero, count);
    counts.emplace_back(count);
  }
  for (std::size_t i = 0; i < in.candidates.size(); ++i) {
    const auto& id = in.candidates[i].model_id;
    double point = 1.0;
    if (counts[i] && *counts[i] < 0) {
      point = 0.0;
      out.excludes.push_back(id);
    } else if (counts[i] && *counts[i] > 0) {
      point = min_nonzero / *counts[i];
    }
    out.routing.push_back(PolicyPoint{id, point, std::nullopt});
  }
  return out;
}

}  // namespace routerly::routing::policies
