#pragma once
// The routing engine (SPEC §5.1 steps 5–12, trace of §8.3): pure and deterministic given its
// inputs (the random source is injected). Budget pre-filter (step 3) and the intake entry
// (step 4) belong to the caller; so do the I/O policies, whose outcomes arrive ready.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "routing/policy.hpp"

namespace routerly::routing {

struct PolicySpec {
  std::string type;
  boost::json::object config;
};

struct EngineInput {
  std::vector<PolicyCandidate> candidates;  // after the budget pre-filter, project order
  RequestFeatures features;
  std::string project_id, token_id;
  int64_t now_ms = 0;
  const StatsView* stats = nullptr;
  std::vector<PolicySpec> policies;  // the enabled policies, project order (weight N − i)
  // Per policy index: the outcome of an I/O policy computed beforehand; nullopt = run it here.
  std::vector<std::optional<PolicyOutcome>> ready;
  std::function<double()> random;  // uniform [0,1); used only when every policy abstained
};

struct RankedModel {
  std::string model;
  double score = 0;
  std::string prompt;
};

struct EngineResult {
  std::vector<RankedModel> ranked;  // best first; empty = every candidate excluded by policies
  std::map<std::string, std::vector<std::string>> excluded_by;  // model → policy types
  bool bypass = false;
  boost::json::array trace;     // router:policies … router:result (§8.3), in order
  boost::json::array policies;  // P3 summary: [{type, weight, point (winner's) | null, failed?}]
};

// Weight of the enabled policy at 0-based index i among n: n − i.
inline double positional_weight(std::size_t n, std::size_t i) {
  return static_cast<double>(n - i);
}

// Without any enabled policy the candidates keep the project order (deviation from REF, which
// shuffles them); when policies ran and all abstained or failed the order is random (§5.1 step 10).
EngineResult run_engine(const EngineInput& input);

// Config with every key matching /key|secret|token|password/i replaced by "***", recursively.
boost::json::value redact_config(const boost::json::value& config);

double round_to(double value, int decimals);

}  // namespace routerly::routing
