#pragma once
// The candidate order and the answer when every candidate failed (SPEC §00 P2).
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/error.hpp"
#include "gateway/call.hpp"
#include "gateway/routing_step.hpp"
#include "gateway/runtime.hpp"

namespace routerly::gateway {

struct Services;

// The models to try, best first, and the routing trace (SPEC §5.1): route_call of routing_step.hpp.
boost::asio::awaitable<Result<RoutingDecision>> order_candidates(Services& services, Call& call);

// The no_model_available message: names every model tried and why it failed, or says that
// the project has no usable model.
std::string no_model_available_message(const ProjectView& project, const std::vector<AttemptRecord>& attempts);

}  // namespace routerly::gateway
