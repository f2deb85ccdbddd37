#pragma once
// The routing-policy contract (SPEC §5.1, §5.3–§5.5). A policy looks at the candidates (in
// project order) and the request and answers a point per candidate plus hard exclusions.
// Pure policies (context, cheapest, health, performance, capability, rate-limit, fairness,
// budget-remaining) are plain functions of PolicyInput, run by the engine. Policies that need
// I/O (llm, semantic-intent) are run by the gateway before the engine (concurrently, see
// gateway/routing_step.hpp) and handed to the engine as ready PolicyOutcomes.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "budget/ledger.hpp"

namespace routerly::routing {

// What the policies know about the request (built by features.hpp from the OpenAI-shaped view).
struct RequestFeatures {
  std::string model;  // the client's `model` field (may be empty)
  std::size_t message_count = 0;
  int64_t chars = 0;              // §5.3 context: text length of every message (system included)
  bool needs_vision = false;      // an image_url content part
  bool needs_tools = false;       // non-empty tools / functions
  bool needs_json = false;        // response_format.type == "json_object"
  std::string last_user_string;   // content of the last user message whose content is a string
  std::string all_string_text;    // every string content joined by one space (§5.4 step 2)
  std::string last_user_message;  // last user message: its string, or the JSON text of its array (§5.5)
  std::optional<std::string> system_text;  // the request's system message text, when present
};

// One candidate in project order.
struct PolicyCandidate {
  std::string model_id;
  const boost::json::object* model =
      nullptr;                             // the model document (prices, contextWindow, capabilities, limits)
  std::string prompt;                      // the project's routing guidance for it (may be empty)
  std::vector<budget::LimitState> limits;  // §6.5 snapshots for (model, project, token)
};

// One stored call as the history-based policies see it.
struct Sample {
  int64_t timestamp_ms = 0;
  int64_t latency_ms = 0;
  bool failed = false;   // outcome error | timeout | budget_exceeded (§5.3 health: budget skips count)
  bool success = false;  // outcome == success
  bool timeout_or_error = false;  // outcome error | timeout (performance ignores these)
  std::string project_id;
};

// Read-only call history per model (routing/stats.hpp implements it; tests may fake it).
class StatsView {
 public:
  virtual ~StatsView() = default;
  // Implementations override at least one of visit() and samples() (each defaults to the other).
  // Calls `visit` for each sample of `model_id` with timestamp ≥ since_ms (any project and call
  // type), oldest first; Stats does it without copying. `visit` must not call back into the view.
  virtual void visit(std::string_view model_id, int64_t since_ms,
                     const std::function<void(const Sample&)>& visit) const {
    for (const Sample& s : samples(model_id, since_ms)) visit(s);
  }
  // A copy of the same samples.
  virtual std::vector<Sample> samples(std::string_view model_id, int64_t since_ms) const {
    std::vector<Sample> out;
    visit(model_id, since_ms, [&out](const Sample& s) { out.push_back(s); });
    return out;
  }
  std::size_t count(std::string_view model_id, int64_t since_ms) const {
    std::size_t n = 0;
    visit(model_id, since_ms, [&n](const Sample&) { ++n; });
    return n;
  }
};

struct PolicyInput {
  const std::vector<PolicyCandidate>& candidates;
  const RequestFeatures& features;
  std::string_view project_id;
  std::string_view token_id;  // empty when none
  int64_t now_ms = 0;
  const StatsView& stats;
  const boost::json::object& config;  // the policy's `config` object ({} when absent)
};

struct PolicyPoint {
  std::string model;
  double point = 0.5;  // NaN = "not a number" (counted as 0.5 by the engine)
  std::optional<std::string> reason;
};

struct PolicyOutcome {
  std::string type;
  bool ok = true;
  std::string error;                  // when !ok: the policy:error:<type> message
  std::vector<PolicyPoint> routing;   // points per candidate
  std::vector<std::string> excludes;  // hard exclusions (model ids)
  boost::json::object details;        // extra keys merged into policy:result:<type> (e.g. incompatible)
  boost::json::array trace;  // the policy's own trace entries (llm-policy:*, policy:semantic-intent:*)
};

using PureEvaluate = PolicyOutcome (*)(const PolicyInput&);

// The pure evaluator of a policy type; nullptr for unknown types and the async ones.
PureEvaluate pure_policy(std::string_view type);
// llm and semantic-intent: computed by the gateway and passed in ready.
bool is_async_policy(std::string_view type);
// Every type the engine knows (pure + async).
bool is_known_policy(std::string_view type);
// Policies whose exclusions follow from the request itself (its size, the capabilities it needs,
// its intent), so that sending it again cannot change them: context, capability, semantic-intent.
// health and rate-limit exclusions pass with time.
bool excludes_for_the_request(std::string_view type);

inline PolicyOutcome failed_outcome(std::string_view type, std::string error) {
  PolicyOutcome out;
  out.type = std::string(type);
  out.ok = false;
  out.error = std::move(error);
  return out;
}

}  // namespace routerly::routing
