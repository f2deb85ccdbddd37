#pragma once
// Helpers shared by the policy files: config reading and time decay (SPEC §5.3).
#include <boost/json/object.hpp>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "routing/policy.hpp"

namespace routerly::routing::policies {

// config[key] as a number, else `fallback` (validation rejects non-numbers before this runs).
inline double number_or(const boost::json::object& config, std::string_view key, double fallback) {
  const boost::json::value* v = config.if_contains(key);
  if (!v) return fallback;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return fallback;
}

inline bool has_number(const boost::json::object& config, std::string_view key) {
  const boost::json::value* v = config.if_contains(key);
  return v && v->is_number();
}

constexpr int64_t kMinuteMs = 60'000;

// exp(−ln2·age/halfLife); a half-life ≤ 0 means no decay.
inline double decay(double age_ms, double half_life_ms) {
  if (half_life_ms <= 0) return 1.0;
  return std::exp(-std::log(2.0) * std::max(0.0, age_ms) / half_life_ms);
}

inline PolicyOutcome outcome_of(std::string_view type) {
  PolicyOutcome out;
  out.type = std::string(type);
  return out;
}

// Every candidate gets `point`.
inline void fill(PolicyOutcome& out, const PolicyInput& in, double point) {
  for (const auto& c : in.candidates) out.routing.push_back(PolicyPoint{c.model_id, point, std::nullopt});
}

PolicyOutcome evaluate_context(const PolicyInput& in);
PolicyOutcome evaluate_cheapest(const PolicyInput& in);
PolicyOutcome evaluate_health(const PolicyInput& in);
PolicyOutcome evaluate_performance(const PolicyInput& in);
PolicyOutcome evaluate_capability(const PolicyInput& in);
PolicyOutcome evaluate_rate_limit(const PolicyInput& in);
PolicyOutcome evaluate_fairness(const PolicyInput& in);
PolicyOutcome evaluate_budget_remaining(const PolicyInput& in);

}  // namespace routerly::routing::policies
