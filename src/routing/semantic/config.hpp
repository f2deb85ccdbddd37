#pragma once
// The `semantic-intent` policy's configuration (SPEC §5.4): read for routing (nullopt =
// misconfigured, the policy then passes every candidate) and validated for the management API.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace routerly::routing::semantic {

struct Intent {
  std::string name;
  std::vector<std::string> examples;
  std::vector<std::string> candidate_models;
};

struct SemanticConfig {
  std::string provider;  // "openai" | "ollama"
  std::string model;     // embedding_model
  std::string endpoint;  // embedding_endpoint (may be empty)
  std::string api_key;   // embedding_api_key (may be empty)
  double absolute_threshold = 0.60;
  double ambiguity_threshold = 0.08;
  std::vector<Intent> intents;  // in configured order
};

// nullopt when embedding_provider, embedding_model or intents is missing (§5.4 step 1).
// Intents with a non-array field read that field as empty.
std::optional<SemanticConfig> read_semantic_config(const boost::json::object& config);

// Strict check for the management API; the message names the offending field.
Result<void> validate_semantic_config(const boost::json::object& config);

}  // namespace routerly::routing::semantic
