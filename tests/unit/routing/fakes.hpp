#pragma once
// Test helpers: a StatsView over a fixed sample list, and candidate builders.
#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "routing/policy.hpp"

namespace routerly::routing::test {

class FakeStats : public StatsView {
 public:
  std::map<std::string, std::vector<Sample>> by_model;
  void add(const std::string& model, int64_t ts, std::string outcome, int64_t latency = 100,
           std::string project = "p1") {
    Sample s;
    s.timestamp_ms = ts;
    s.latency_ms = latency;
    s.success = outcome == "success";
    s.timeout_or_error = outcome == "error" || outcome == "timeout";
    s.failed = s.timeout_or_error || outcome == "budget_exceeded";
    s.project_id = std::move(project);
    by_model[model].push_back(s);
  }
  void visit(std::string_view model_id, int64_t since_ms,
             const std::function<void(const Sample&)>& visit) const override {
    auto it = by_model.find(std::string(model_id));
    if (it == by_model.end()) return;
    for (const auto& s : it->second)
      if (s.timestamp_ms >= since_ms) visit(s);
  }
};

// Owns model documents so PolicyCandidate pointers stay valid.
struct Pool {
  std::vector<std::unique_ptr<boost::json::object>> docs;
  std::vector<PolicyCandidate> candidates;
  PolicyCandidate& add(const std::string& id, boost::json::object doc = {}) {
    doc["id"] = id;
    docs.push_back(std::make_unique<boost::json::object>(std::move(doc)));
    candidates.push_back(PolicyCandidate{id, docs.back().get(), "", {}});
    return candidates.back();
  }
};

inline PolicyOutcome run(PureEvaluate fn, const Pool& pool, const StatsView& stats,
                         const RequestFeatures& features, const boost::json::object& config = {},
                         int64_t now = 10'000'000, std::string_view project = "p1") {
  PolicyInput in{pool.candidates, features, project, "", now, stats, config};
  return fn(in);
}

inline double point_of(const PolicyOutcome& out, const std::string& model) {
  for (const auto& p : out.routing)
    if (p.model == model) return p.point;
  return -1;
}

}  // namespace routerly::routing::test
