#include "gateway/fallback.hpp"

namespace routerly::gateway {

boost::asio::awaitable<Result<RoutingDecision>> order_candidates(Services& services, Call& call) {
  return route_call(services, call);
}

std::string no_model_available_message(const ProjectView& project, const std::vector<AttemptRecord>& attempts) {
  if (attempts.empty()) {
    if (project.referenced.empty()) return "Project '" + project.slug + "' has no models.";
    std::string listed;
    for (const auto& id : project.referenced) listed += (listed.empty() ? "" : ", ") + id;
    return "Project '" + project.slug + "' has no usable model (disabled, missing or misconfigured: " + listed + ").";
  }
  std::string message = "All candidate models failed: ";
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    if (i > 0) message += "; ";
    message += attempts[i].model_id + " (" + attempts[i].error + ")";
  }
  message += ".";
  return message;
}

}  // namespace routerly::gateway
