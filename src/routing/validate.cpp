#include "routing/validate.hpp"

#include <string>

#include "routing/llm/config.hpp"
#include "routing/policy.hpp"

namespace routerly::routing {

namespace json = boost::json;

namespace {

struct Checker {
  const json::object& config;
  std::string_view path;

  std::unexpected<Error> bad(std::string_view key, std::string_view what) const {
    return fail(ErrorCode::validation_error,
                "field '" + std::string(path) + "." + std::string(key) + "' " + std::string(what));
  }
  // Absent or null passes; else a number in the range (lo, hi] or [lo, hi].
  Result<void> number(std::string_view key, double lo, bool lo_inclusive, double hi = 1e12) const {
    const json::value* v = config.if_contains(key);
    if (!v || v->is_null()) return {};
    if (!v->is_number()) return bad(key, "must be a number");
    const double d = v->to_number<double>();
    if ((lo_inclusive ? d < lo : d <= lo) || d > hi) {
      std::string rule = lo_inclusive ? "at least " + compact(lo) : "greater than " + compact(lo);
      if (hi < 1e12) rule += " and at most " + compact(hi);
      return bad(key, "must be " + rule);
    }
    return {};
  }
  static std::string compact(double d) {
    std::string s = std::to_string(d);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
  }
  Result<void> boolean(std::string_view key) const {
    const json::value* v = config.if_contains(key);
    if (!v || v->is_null() || v->is_bool()) return {};
    return bad(key, "must be true or false");
  }
  Result<void> string(std::string_view key) const {
    const json::value* v = config.if_contains(key);
    if (!v || v->is_null() || v->is_string()) return {};
    return bad(key, "must be a string");
  }
  Result<void> strings(std::string_view key) const {
    const json::value* v = config.if_contains(key);
    if (!v || v->is_null()) return {};
    if (!v->is_array()) return bad(key, "must be an array of strings");
    for (const json::value& s : v->get_array())
      if (!s.is_string()) return bad(key, "must be an array of strings");
    return {};
  }
};

Result<void> all(std::initializer_list<Result<void>> checks) {
  for (const auto& r : checks)
    if (!r) return r;
  return {};
}

Result<void> validate_intents(const Checker& c) {
  const json::value* v = c.config.if_contains("intents");
  if (!v || v->is_null()) return {};
  if (!v->is_object()) return c.bad("intents", "must be an object {name: {examples, candidate_models}}");
  for (const auto& [name, intent] : v->get_object()) {
    std::string key = "intents." + std::string(name);
    if (!intent.is_object()) return c.bad(key, "must be an object {examples, candidate_models}");
    const std::string inner_path = std::string(c.path) + "." + key;
    Checker inner{intent.get_object(), inner_path};
    if (auto r = all({inner.strings("examples"), inner.strings("candidate_models")}); !r) return r;
  }
  return {};
}

}  // namespace

Result<void> validate_policy_config(std::string_view type, const json::object& config,
                                    std::string_view path) {
  const Checker c{config, path};
  if (type == "context" || type == "cheapest" || type == "capability" || type == "budget-remaining")
    return {};
  if (type == "health")
    return all({c.number("windowMinutes", 0, false), c.number("halfLifeMinutes", 0, true),
                c.number("pseudoCounts", 0, true), c.number("circuitBreaker", 0, false, 1)});
  if (type == "performance")
    return all({c.number("windowMinutes", 0, false), c.number("halfLifeMinutes", 0, true),
                c.number("minSamples", 0, true)});
  if (type == "rate-limit")
    return all({c.number("windowMinutes", 0, false), c.number("maxCallsPerWindow", 0, false)});
  if (type == "fairness") return c.number("windowMinutes", 0, false);
  if (type == "llm") {
    // The routing model is what the policy asks; without it the policy could only abstain.
    const json::value* id = config.if_contains("routingModelId");
    if (id == nullptr || !id->is_string() || id->get_string().empty())
      return c.bad("routingModelId", "is required: the model that scores the candidates");
    if (auto r = all({c.strings("fallbackModelIds"), c.boolean("autoRouting"), c.string("additionalPromptInfo"),
                      c.boolean("thinking"), c.boolean("includeReason"), c.number("maxCompletionTokens", 0, false),
                      c.number("maxUserMessageChars", 0, false), c.boolean("memory"),
                      c.number("memoryCount", 0, true)});
        !r)
      return r;
    // The remaining rules (ranges, the semantic cache block) live with the policy; its
    // messages name "config.<key>", re-rooted here at this policy's path.
    auto rest = llm::validate_llm_config(config);
    if (rest) return {};
    std::string message = rest.error().message;
    if (const auto at = message.find("'config."); at != std::string::npos)
      message.replace(at + 1, std::string_view("config").size(), path);
    return fail(ErrorCode::validation_error, message);
  }
  if (type == "semantic-intent") {
    if (const json::value* p = config.if_contains("embedding_provider");
        p && !p->is_null() &&
        !(p->is_string() && (p->get_string() == "openai" || p->get_string() == "ollama")))
      return c.bad("embedding_provider", "must be \"openai\" or \"ollama\"");
    return all({c.string("embedding_model"), c.string("embedding_endpoint"), c.string("embedding_api_key"),
                c.number("absolute_threshold", -1, true, 1), c.number("ambiguity_threshold", 0, true, 1),
                validate_intents(c)});
  }
  return fail(ErrorCode::validation_error, "unknown policy type '" + std::string(type) + "'");
}

}  // namespace routerly::routing
