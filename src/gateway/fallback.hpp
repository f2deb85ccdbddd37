#pragma once
// The candidate order and the answer when every candidate failed (SPEC §00 P2).
#include <string>
#include <vector>

#include "gateway/call.hpp"
#include "gateway/runtime.hpp"

namespace routerly::gateway {

// The models to try, best first. Today: the project's usable models in configured order.
// The seam for routing policies and budgets (issue 4): they reorder and filter here.
std::vector<const Candidate*> order_candidates(const Call& call, const ProjectView& project);

// The no_model_available message: names every model tried and why it failed, or says that
// the project has no usable model.
std::string no_model_available_message(const ProjectView& project, const std::vector<AttemptRecord>& attempts);

}  // namespace routerly::gateway
