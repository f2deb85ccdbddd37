#include "routing/semantic/config.hpp"

#include <cmath>

namespace routerly::routing::semantic {

namespace json = boost::json;

namespace {

std::string string_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<double> number_of(const json::value* v) {
  if (v == nullptr || !v->is_number()) return std::nullopt;
  double d = v->to_number<double>();
  return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

std::vector<std::string> strings_of(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& item : v->get_array())
    if (item.is_string()) out.emplace_back(item.as_string());
  return out;
}

Result<void> field_error(const std::string& field, std::string_view problem) {
  return fail(ErrorCode::validation_error, "field 'config." + field + "' " + std::string(problem));
}

Result<void> check_string_list(const json::object& o, std::string_view key, const std::string& field) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return field_error(field, "required, an array of strings");
  if (!v->is_array()) return field_error(field, "must be an array of strings");
  const json::array& list = v->get_array();
  for (std::size_t i = 0; i < list.size(); ++i)
    if (!list[i].is_string()) return field_error(field + "[" + std::to_string(i) + "]", "must be a string");
  return {};
}

}  // namespace

std::optional<SemanticConfig> read_semantic_config(const json::object& o) {
  SemanticConfig c;
  c.provider = string_of(o, "embedding_provider");
  c.model = string_of(o, "embedding_model");
  const json::value* intents = o.if_contains("intents");
  if (c.provider.empty() || c.model.empty() || intents == nullptr || !intents->is_object())
    return std::nullopt;
  c.endpoint = string_of(o, "embedding_endpoint");
  c.api_key = string_of(o, "embedding_api_key");
  if (auto t = number_of(o.if_contains("absolute_threshold"))) c.absolute_threshold = *t;
  if (auto t = number_of(o.if_contains("ambiguity_threshold"))) c.ambiguity_threshold = *t;
  for (const auto& [name, value] : intents->get_object()) {
    Intent intent;
    intent.name = std::string(name);
    if (value.is_object()) {
      intent.examples = strings_of(value.get_object(), "examples");
      intent.candidate_models = strings_of(value.get_object(), "candidate_models");
    }
    c.intents.push_back(std::move(intent));
  }
  return c;
}

Result<void> validate_semantic_config(const json::object& o) {
  const json::value* provider = o.if_contains("embedding_provider");
  if (provider == nullptr || !provider->is_string())
    return field_error("embedding_provider", "required, \"openai\" or \"ollama\"");
  if (provider->as_string() != "openai" && provider->as_string() != "ollama")
    return field_error("embedding_provider", "must be \"openai\" or \"ollama\"");
  const json::value* model = o.if_contains("embedding_model");
  if (model == nullptr || !model->is_string() || model->as_string().empty())
    return field_error("embedding_model", "required, a non-empty string");
  for (std::string_view key : {"embedding_endpoint", "embedding_api_key", "fallback_policy"}) {
    const json::value* v = o.if_contains(key);
    if (v != nullptr && !v->is_null() && !v->is_string())
      return field_error(std::string(key), "must be a string");
  }
  if (const json::value* v = o.if_contains("embedding_fallback_models"); v != nullptr && !v->is_null())
    if (auto r = check_string_list(o, "embedding_fallback_models", "embedding_fallback_models"); !r) return r;
  for (std::string_view key : {"absolute_threshold", "ambiguity_threshold"}) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) continue;
    auto n = number_of(v);
    if (!n) return field_error(std::string(key), "must be a number");
    if (*n < 0 || *n > 1) return field_error(std::string(key), "must be between 0 and 1");
  }
  const json::value* intents = o.if_contains("intents");
  if (intents == nullptr) return field_error("intents", "required, an object of intents");
  if (!intents->is_object()) return field_error("intents", "must be an object of intents");
  for (const auto& [name, value] : intents->get_object()) {
    std::string field = "intents." + std::string(name);
    if (!value.is_object()) return field_error(field, "must be an object with examples and candidate_models");
    if (auto r = check_string_list(value.get_object(), "examples", field + ".examples"); !r) return r;
    if (auto r = check_string_list(value.get_object(), "candidate_models", field + ".candidate_models"); !r)
      return r;
  }
  return {};
}

}  // namespace routerly::routing::semantic
