#pragma once
// Pure edits of a project's `policies` and `models` arrays (as GET /api/projects/{p} returns
// them) for the routing and candidate-pool commands. The server validates the result again
// on PUT; these only catch what can be told locally (absent entries, duplicates, bad JSON).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace routerly::cli {

// Parses the text of --config: it must be a JSON object. The error names the flag and the
// parser's complaint.
Result<boost::json::object> parse_policy_config(const std::string& text);

// Enables `type` (appending {type, enabled:true} when absent); `config`, when given,
// replaces the policy's configuration.
boost::json::array enable_policy(boost::json::array policies, const std::string& type,
                                 const std::optional<boost::json::object>& config);

// Marks `type` disabled, keeping its place and configuration; an error when it is absent.
Result<boost::json::array> disable_policy(boost::json::array policies, const std::string& type);

// Moves the named policies to the front in the given order; the others follow in their
// current order. Every name must be a configured policy, at most once.
Result<boost::json::array> reorder_policies(const boost::json::array& policies,
                                            const std::vector<std::string>& order);

// Appends {modelId, prompt?} to the candidate pool; an error when it is already there.
Result<boost::json::array> add_pool_model(boost::json::array models, const std::string& model_id,
                                          const std::optional<std::string>& prompt);

// Removes the model from the pool; an error when it is not there.
Result<boost::json::array> remove_pool_model(const boost::json::array& models, const std::string& model_id);

// Sets (or, for an empty text, clears) the model's routing prompt; an error when it is not in the pool.
Result<boost::json::array> set_pool_prompt(boost::json::array models, const std::string& model_id,
                                           const std::string& prompt);

// The `type` of every policy, in order, joined with ", " (for error messages).
std::string policy_types_text(const boost::json::array& policies);

}  // namespace routerly::cli
