#include "gateway/budget_gate.hpp"

#include <boost/json.hpp>

#include "common/clock.hpp"
#include "gateway/services.hpp"
#include "gateway/trace.hpp"
#include "gateway/usage_recorder.hpp"
#include "usage/cost.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

constexpr std::string_view kBudgetOutcome = "budget_exceeded";

// The output the request allows at most, when it says (max_tokens & co.); 0 otherwise.
int64_t requested_output_cap(const json::object& body) {
  for (std::string_view key : {"max_tokens", "max_completion_tokens", "max_output_tokens"})
    if (const json::value* v = body.if_contains(key); v != nullptr && v->is_int64() && v->as_int64() > 0)
      return v->as_int64();
  return 0;
}

}  // namespace

budget::Ledger::Attempt reserve_attempt(Services& services, const Call& call, const Candidate& candidate) {
  const int64_t input = estimate_tokens(call.input_chars);
  double cost = 0;
  if (candidate.model != nullptr) {
    usage::Prices prices = usage::prices_of_model(*candidate.model);
    cost = (static_cast<double>(input) * prices.input +
            static_cast<double>(requested_output_cap(call.body)) * prices.output) /
           1e6;
  }
  const std::string project_id = call.caller.project != nullptr ? call.caller.project->id : std::string();
  const std::string token_id = call.caller.token != nullptr ? call.caller.token->token_id : std::string();
  return services.ledger.reserve(call.caller.runtime->snapshot(), candidate.target.model_id, project_id,
                                 token_id, input, cost, clock::now_ms(), call.trace_id);
}

void note_budget_skip(Call& call, const Candidate& candidate, const budget::Verdict& verdict) {
  json::object details{{"modelId", candidate.target.model_id}, {"reason", "budget_exhausted"}};
  if (!verdict.violated.empty()) {
    const budget::LimitState& s = verdict.violated.front();
    details["level"] = s.level;
    details["name"] = s.name;
    details["metric"] = s.metric;
    details["window"] = s.window;
    details["limit"] = s.limit;
    details["current"] = s.current;
    details["remaining"] = s.remaining;
  }
  call.trace.emplace_back(trace_entry("router-response", "model:skipped", std::move(details)));
  call.attempts.push_back(AttemptRecord{candidate.target.model_id, candidate.target.provider,
                                        std::string(kBudgetOutcome), verdict.message(), 0});
}

bool all_budget_blocked(const Call& call) {
  if (call.attempts.empty()) return false;
  for (const auto& a : call.attempts)
    if (a.outcome != kBudgetOutcome) return false;
  return true;
}

Error budget_exceeded_error(const Call& call) {
  std::string message = call.attempts.empty() ? "budget exceeded" : call.attempts.front().error;
  if (call.attempts.size() > 1) {
    message += " (blocked models: ";
    for (std::size_t i = 0; i < call.attempts.size(); ++i)
      message += (i > 0 ? ", " : "") + call.attempts[i].model_id;
    message += ")";
  }
  return Error{ErrorCode::budget_exceeded, std::move(message)};
}

}  // namespace routerly::gateway
