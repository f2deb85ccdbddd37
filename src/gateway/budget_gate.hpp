#pragma once
// Budget enforcement around provider attempts (SPEC §6.4 with §00 P2, P10, P19): every attempt
// reserves capacity first; a blocked candidate is skipped; when every candidate is blocked the
// request answers 503 budget_exceeded and no upstream request is made.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "budget/ledger.hpp"
#include "common/error.hpp"
#include "gateway/call.hpp"
#include "gateway/runtime.hpp"

namespace routerly::gateway {

struct Services;

// The output a request allows at most, by its route's own field: chat `max_completion_tokens`
// (else the older `max_tokens`), messages `max_tokens`, responses `max_output_tokens` (else
// `max_tokens`). 0 when the request sets none (or a non-positive one).
int64_t requested_output_cap(Api api, const boost::json::object& body);

// What an attempt of `candidate` reserves besides the call itself: the estimated input tokens
// (characters ÷ 4), the output the request caps (nothing when it sets no cap), and both at the
// model's input and output prices.
budget::Ledger::Estimate reservation_estimate(const Call& call, const Candidate& candidate);

// Reserves one call of `candidate` plus reservation_estimate(), and waits until the lease it was
// admitted from is durable (most calls wait for nothing). The reservation is keyed by the
// call's trace id: submitting the call's usage row settles it (Ledger::record); keep the handle
// alive until then — dropping it earlier (a failed attempt) releases the capacity. When the
// lease could not be written the verdict blocks, with the failure as its message.
boost::asio::awaitable<budget::Ledger::Attempt> reserve_attempt(Services& services, const Call& call,
                                                                const Candidate& candidate);

// A candidate skipped by its budget: trace `model:skipped {modelId, reason:"budget_exhausted",
// limit…}`, an attempt record with outcome budget_exceeded, and when the budget reopens
// (call.refusal, for the answer's retry-after).
void note_budget_skip(Call& call, const Candidate& candidate, const budget::Verdict& verdict);

// True when every attempt of the call was a budget skip (and there was at least one).
bool all_budget_blocked(const Call& call);

// The 503 budget_exceeded error: the first blocked candidate's verdict message, plus the other
// blocked models when there are several.
Error budget_exceeded_error(const Call& call);

}  // namespace routerly::gateway
