#pragma once
// Intent classification of semantic-intent (SPEC §5.4 steps 2–6): centroids, cosine
// similarity, confident / ambiguous / unknown, and the pool of allowed candidates. Pure.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "routing/policy.hpp"
#include "routing/semantic/config.hpp"

namespace routerly::routing::semantic {

using Vector = std::vector<double>;

// Step 2: the last user message whose content is a string, else every string content joined
// by a space.
std::string request_text(const RequestFeatures& request);

// Element-wise mean; empty when there are no vectors. Vectors of another length than the
// first are ignored.
Vector centroid(const std::vector<Vector>& vectors);
// 0 when a vector is empty, zero or the lengths differ.
double cosine(const Vector& a, const Vector& b);

enum class Status { confident, ambiguous, unknown };
std::string_view status_name(Status status);

struct Classification {
  Status status = Status::unknown;
  std::string top_intent, second_intent;  // empty when absent
  double top_score = 0, second_score = 0, margin = 0;
};

struct IntentCentroid {
  std::string intent;
  Vector centroid;
};

// Step 4. Ties keep the configured intent order.
Classification classify(const Vector& request, const std::vector<IntentCentroid>& centroids,
                        double absolute_threshold, double ambiguity_threshold);

// Step 5: allowed model ids, in candidate order.
std::vector<std::string> allowed_pool(const Classification& c, const SemanticConfig& config,
                                      const std::vector<std::string>& candidates);

// Step 6: 1.0 inside the pool, 0.0 and excluded outside.
void apply_pool(PolicyOutcome& out, const std::vector<std::string>& candidates,
                const std::vector<std::string>& allowed);
// Every candidate 1.0 (misconfigured, empty text, embedding failure).
void pass_all(PolicyOutcome& out, const std::vector<std::string>& candidates);

// Details of policy:semantic-intent:classification: topIntent, topScore, secondIntent,
// secondScore, margin, status (scores rounded to 4 decimals; absent intents null).
boost::json::object classification_details(const Classification& c);

}  // namespace routerly::routing::semantic
