#pragma once
// The client's `model` choosing (pure): when a request names one of the project's models by its
// id, that model is tried first and routing's order supplies the fallbacks behind it. Any other
// name (`auto`, a provider's own model name, a project slug) leaves the order to routing.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/engine.hpp"

namespace routerly::routing {

// How a named model fared.
struct Pin {
  std::string model;
  bool applied = false;         // the model now ranks first
  std::size_t routed_rank = 0;  // 1-based rank routing gave it (applied only)
  std::string reason;           // why it could not be pinned (not applied only)
};

// Moves `model` to the front of `ranked` when it is there, keeping the others' relative order.
// nullopt when `model` is not one of `project_models` (the choice stays with routing); otherwise
// the pin, not applied when routing had ruled the model out (`ruled_out`, e.g. "blocked by a
// budget" or "excluded by policy context" — empty when it was simply not ranked).
std::optional<Pin> pin_named_model(std::vector<RankedModel>& ranked, std::string_view model,
                                   const std::vector<std::string>& project_models,
                                   std::string_view ruled_out);

// The trace entry `router:pinned` {model, applied, routedRank | reason}.
boost::json::object pin_trace_entry(const Pin& pin);

}  // namespace routerly::routing
