// Policy type → evaluator (SPEC §5.3).
#include <array>
#include <utility>

#include "routing/policies/common.hpp"
#include "routing/policy.hpp"

namespace routerly::routing {

namespace {
constexpr std::array<std::pair<std::string_view, PureEvaluate>, 8> kPure{{
    {"context", &policies::evaluate_context},
    {"cheapest", &policies::evaluate_cheapest},
    {"health", &policies::evaluate_health},
    {"performance", &policies::evaluate_performance},
    {"capability", &policies::evaluate_capability},
    {"rate-limit", &policies::evaluate_rate_limit},
    {"fairness", &policies::evaluate_fairness},
    {"budget-remaining", &policies::evaluate_budget_remaining},
}};
}  // namespace

PureEvaluate pure_policy(std::string_view type) {
  for (const auto& [name, fn] : kPure)
    if (name == type) return fn;
  return nullptr;
}

bool is_async_policy(std::string_view type) {
  return type == "llm" || type == "semantic-intent";
}

bool is_known_policy(std::string_view type) {
  return pure_policy(type) != nullptr || is_async_policy(type);
}

bool excludes_for_the_request(std::string_view type) {
  return type == "context" || type == "capability" || type == "semantic-intent";
}

}  // namespace routerly::routing
