#include "gateway/budget_gate.hpp"

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cstdint>

#include "common/clock.hpp"
#include "gateway/services.hpp"
#include "gateway/trace.hpp"
#include "gateway/usage_recorder.hpp"
#include "usage/cost.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

constexpr std::string_view kBudgetOutcome = "budget_exceeded";

int64_t positive_int(const json::object& body, std::string_view key) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return std::max<int64_t>(v->get_int64(), 0);
  if (v->is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), INT64_MAX));
  return 0;
}

// Completes on the calling coroutine's executor once the write is settled. The initiation is a
// named local: g++ 12 destroys a lambda temporary inside a co_await operand twice (its captured
// shared_ptr was released twice, freeing the write while it was still waited on).
boost::asio::awaitable<bool> durable_write(const std::shared_ptr<budget::Durability>& write) {
  if (auto settled = write->result()) co_return *settled;
  auto executor = co_await boost::asio::this_coro::executor;
  auto initiation = [write, executor](auto handler) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    write->on_settled([shared, executor](bool ok) {
      boost::asio::post(executor, [shared, ok]() mutable { (*shared)(ok); });
    });
  };
  const bool ok = co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(bool)>(
      initiation, boost::asio::use_awaitable);
  co_return ok;
}

}  // namespace

int64_t requested_output_cap(Api api, const json::object& body) {
  auto first_of = [&](std::string_view preferred, std::string_view other) {
    const int64_t cap = positive_int(body, preferred);
    return cap > 0 ? cap : positive_int(body, other);
  };
  switch (api) {
    case Api::chat:
      return first_of("max_completion_tokens", "max_tokens");
    case Api::messages:
      return positive_int(body, "max_tokens");
    case Api::responses:
      return first_of("max_output_tokens", "max_tokens");
  }
  return 0;
}

budget::Ledger::Estimate reservation_estimate(const Call& call, const Candidate& candidate) {
  budget::Ledger::Estimate estimate;
  estimate.input_tokens = estimate_tokens(call.input_chars);
  estimate.output_tokens = requested_output_cap(call.api, call.body);
  if (candidate.model != nullptr) {
    const usage::Prices prices = usage::prices_of_model(*candidate.model);
    estimate.cost = (static_cast<double>(estimate.input_tokens) * prices.input +
                     static_cast<double>(estimate.output_tokens) * prices.output) /
                    1e6;
  }
  return estimate;
}

boost::asio::awaitable<budget::Ledger::Attempt> reserve_attempt(Services& services, const Call& call,
                                                                const Candidate& candidate) {
  const std::string project_id = call.caller.project != nullptr ? call.caller.project->id : std::string();
  const std::string token_id = call.caller.token != nullptr ? call.caller.token->token_id : std::string();
  budget::Ledger::Attempt attempt =
      services.ledger.reserve(call.caller.runtime->snapshot(), candidate.target.model_id, project_id, token_id,
                              reservation_estimate(call, candidate), clock::now_ms(), call.trace_id);
  for (const auto& write : attempt.pending_writes) {
    const bool durable = co_await durable_write(write);
    if (durable) continue;
    attempt.reservation.release();
    attempt.verdict.allowed = false;
    attempt.verdict.failure = "budget capacity could not be recorded: the store refused the write";
    break;
  }
  co_return attempt;
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
  call.refusal.budget_reopens_ms.push_back(verdict.reopens_at_ms);
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
