#include "routing/pinning.hpp"

#include <algorithm>

namespace routerly::routing {

namespace json = boost::json;

std::optional<Pin> pin_named_model(std::vector<RankedModel>& ranked, std::string_view model,
                                   const std::vector<std::string>& project_models,
                                   std::string_view ruled_out) {
  if (model.empty() || std::find(project_models.begin(), project_models.end(), model) == project_models.end())
    return std::nullopt;
  Pin pin{std::string(model), false, 0, {}};
  auto it =
      std::find_if(ranked.begin(), ranked.end(), [&](const RankedModel& r) { return r.model == model; });
  if (it == ranked.end()) {
    pin.reason = ruled_out.empty() ? std::string("not available") : std::string(ruled_out);
    return pin;
  }
  pin.applied = true;
  pin.routed_rank = static_cast<std::size_t>(it - ranked.begin()) + 1;
  std::rotate(ranked.begin(), it, it + 1);
  return pin;
}

json::object pin_trace_entry(const Pin& pin) {
  json::object details{{"model", pin.model}, {"applied", pin.applied}};
  if (pin.applied)
    details["routedRank"] = static_cast<int64_t>(pin.routed_rank);
  else
    details["reason"] = pin.reason;
  return json::object{
      {"panel", "router-response"}, {"message", "router:pinned"}, {"details", std::move(details)}};
}

}  // namespace routerly::routing
