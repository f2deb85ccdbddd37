#include "cli/routing_edit.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

namespace routerly::cli {
namespace json = boost::json;

namespace {

std::string string_field(const json::value& v, std::string_view key) {
  if (!v.is_object()) return "";
  const auto* f = v.as_object().if_contains(key);
  return f && f->is_string() ? std::string(f->as_string()) : "";
}

// Entries of `policies` are {type,...} objects; the shorthand "cheapest" is accepted too.
std::string policy_type(const json::value& p) {
  return p.is_string() ? std::string(p.as_string()) : string_field(p, "type");
}

// Entries of `models` are {modelId,...} objects; a bare id is accepted too.
std::string pool_model_id(const json::value& m) {
  return m.is_string() ? std::string(m.as_string()) : string_field(m, "modelId");
}

json::value* find_policy(json::array& policies, const std::string& type) {
  for (auto& p : policies)
    if (policy_type(p) == type) return &p;
  return nullptr;
}

json::value* find_model(json::array& models, const std::string& id) {
  for (auto& m : models)
    if (pool_model_id(m) == id) return &m;
  return nullptr;
}

// A shorthand string entry becomes its object form so that fields can be set on it.
json::object& as_policy_object(json::value& p) {
  if (p.is_string()) p = json::object{{"type", p.as_string()}, {"enabled", true}};
  return p.as_object();
}

json::object& as_model_object(json::value& m) {
  if (m.is_string()) m = json::object{{"modelId", m.as_string()}};
  return m.as_object();
}

std::string model_ids_text(const json::array& models) {
  std::string out;
  for (const auto& m : models) out += (out.empty() ? "" : ", ") + pool_model_id(m);
  return out.empty() ? "none" : out;
}

}  // namespace

Result<json::object> parse_policy_config(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return fail(ErrorCode::validation_error, "--config is not valid JSON: " + ec.message());
  if (!v.is_object())
    return fail(ErrorCode::validation_error,
                "--config must be a JSON object, e.g. '{\"maxLatencyMs\": 2000}'");
  return std::move(v.as_object());
}

json::array enable_policy(json::array policies, const std::string& type,
                          const std::optional<json::object>& config) {
  json::value* existing = find_policy(policies, type);
  if (!existing) {
    policies.push_back(json::object{{"type", type}, {"enabled", true}});
    existing = &policies.back();
  }
  json::object& p = as_policy_object(*existing);
  p["enabled"] = true;
  if (config) p["config"] = *config;
  return policies;
}

Result<json::array> disable_policy(json::array policies, const std::string& type) {
  json::value* existing = find_policy(policies, type);
  if (!existing) {
    return fail(ErrorCode::not_found,
                "policy '" + type + "' is not configured (configured: " + policy_types_text(policies) + ")");
  }
  as_policy_object(*existing)["enabled"] = false;
  return policies;
}

Result<json::array> reorder_policies(const json::array& policies, const std::vector<std::string>& order) {
  if (order.empty()) return fail(ErrorCode::validation_error, "give the policy types in their new order");
  std::set<std::string> named;
  json::array out;
  for (const auto& type : order) {
    if (!named.insert(type).second)
      return fail(ErrorCode::validation_error, "policy '" + type + "' is named twice");
    auto it = std::ranges::find_if(policies, [&](const json::value& p) { return policy_type(p) == type; });
    if (it == policies.end()) {
      return fail(ErrorCode::not_found, "policy '" + type + "' is not configured (configured: " +
                                            policy_types_text(policies) + ")");
    }
    out.push_back(*it);
  }
  for (const auto& p : policies)
    if (!named.contains(policy_type(p))) out.push_back(p);
  return out;
}

Result<json::array> add_pool_model(json::array models, const std::string& model_id,
                                   const std::optional<std::string>& prompt) {
  if (find_model(models, model_id))
    return fail(ErrorCode::conflict, "model '" + model_id + "' is already in the project");
  json::object entry{{"modelId", model_id}};
  if (prompt && !prompt->empty()) entry["prompt"] = *prompt;
  models.push_back(std::move(entry));
  return models;
}

Result<json::array> remove_pool_model(const json::array& models, const std::string& model_id) {
  json::array out;
  for (const auto& m : models)
    if (pool_model_id(m) != model_id) out.push_back(m);
  if (out.size() == models.size()) {
    return fail(ErrorCode::not_found,
                "model '" + model_id + "' is not in the project (models: " + model_ids_text(models) + ")");
  }
  return out;
}

Result<json::array> set_pool_prompt(json::array models, const std::string& model_id,
                                    const std::string& prompt) {
  json::value* existing = find_model(models, model_id);
  if (!existing) {
    return fail(ErrorCode::not_found,
                "model '" + model_id + "' is not in the project (models: " + model_ids_text(models) + ")");
  }
  json::object& m = as_model_object(*existing);
  if (prompt.empty()) {
    m.erase("prompt");
  } else {
    m["prompt"] = prompt;
  }
  return models;
}

std::string policy_types_text(const json::array& policies) {
  std::string out;
  for (const auto& p : policies) out += (out.empty() ? "" : ", ") + policy_type(p);
  return out.empty() ? "none" : out;
}

}  // namespace routerly::cli
