#pragma once
// The routing step of a proxied request (SPEC §5.1 with §00 P2): resolve the project's
// candidates, run the budget pre-filter, run the I/O policies (llm, semantic-intent)
// concurrently, then the pure engine (routing/engine.hpp). Records the §8.3 trace in call.trace.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/call.hpp"
#include "gateway/runtime.hpp"
#include "routing/policy.hpp"

namespace routerly::gateway {

struct Services;

// An I/O policy (llm, semantic-intent). Gets the engine's input (candidates after the budget
// pre-filter, features, stats, its own config) and the call (trace id, caller, body).
// It must not throw; a failure is failed_outcome(type, message) (→ policy:error:<type>).
// Trace entries it wants stored go in PolicyOutcome::trace (they are appended in policy order).
using AsyncPolicy = std::function<boost::asio::awaitable<routing::PolicyOutcome>(
    Services& services, const Call& call, const routing::PolicyInput& input)>;

// Filled at gateway construction by whoever implements them (the llm / semantic-intent
// engineer); an empty slot makes that policy fail with "policy not available".
struct AsyncPolicies {
  AsyncPolicy llm;
  AsyncPolicy semantic_intent;
};

struct RoutingDecision {
  std::vector<const Candidate*> order;  // winner first, then the fallback order
  boost::json::array policies;          // P3 trace chunk: [{type, weight, winner:{model,point}|null}]
};

// The candidate whose model id the request's `model` names exactly, else the project's first
// candidate; nullptr when the project has none. For routes that do not rank (count_tokens).
const Candidate* first_choice(const ProjectView& project, const boost::json::object& body);

// Runs routing for call.caller.project. A request whose `model` names one of the project's
// models gets that model first, routing's order behind it (trace `router:pinned`). Fails with budget_exceeded (every candidate blocked by a
// budget; message = the verdicts) or no_model_available (message says why each candidate went).
boost::asio::awaitable<Result<RoutingDecision>> route_call(Services& services, Call& call);

}  // namespace routerly::gateway
