#include "routing/llm/config.hpp"

#include <algorithm>
#include <cmath>

namespace routerly::routing::llm {

namespace json = boost::json;

namespace {

std::optional<double> number_of(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  if (v->is_double() && std::isfinite(v->as_double())) return v->as_double();
  return std::nullopt;
}

bool bool_or(const json::object& o, std::string_view key, bool fallback) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() ? v->as_bool() : fallback;
}

std::optional<int64_t> int_of(const json::object& o, std::string_view key) {
  auto n = number_of(o.if_contains(key));
  if (!n) return std::nullopt;
  return static_cast<int64_t>(std::floor(*n));
}

Result<void> field_error(std::string_view field, std::string_view problem) {
  return fail(ErrorCode::validation_error,
              "field 'config." + std::string(field) + "' " + std::string(problem));
}

Result<void> check_bool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v != nullptr && !v->is_bool()) return field_error(key, "must be a boolean");
  return {};
}

Result<void> check_number(const json::object& o, std::string_view key, double min, double max, bool integer) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  auto n = number_of(v);
  if (!n) return field_error(key, "must be a number");
  if (integer && std::floor(*n) != *n) return field_error(key, "must be an integer");
  if (*n < min || *n > max) {
    return field_error(key, "must be between " + std::to_string(static_cast<int64_t>(min)) + " and " +
                                std::to_string(static_cast<int64_t>(max)));
  }
  return {};
}

Result<void> check_string(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v != nullptr && !v->is_null() && !v->is_string()) return field_error(key, "must be a string");
  return {};
}

// The semantic routing cache (SPEC §13.1): shape only.
Result<void> check_cache(const json::value& cache) {
  if (cache.is_null()) return {};
  if (!cache.is_object()) return field_error("cache", "must be an object");
  const json::object& c = cache.get_object();
  if (auto r = check_bool(c, "enabled"); !r) return field_error("cache.enabled", "must be a boolean");
  if (auto r = check_bool(c, "extend_on_hit"); !r)
    return field_error("cache.extend_on_hit", "must be a boolean");
  for (std::string_view key :
       {"embedding_model", "embedding_provider", "embedding_endpoint", "embedding_api_key"})
    if (auto r = check_string(c, key); !r)
      return field_error("cache." + std::string(key), "must be a string");
  if (const json::value* p = c.if_contains("embedding_provider");
      p != nullptr && p->is_string() && p->as_string() != "openai" && p->as_string() != "ollama")
    return field_error("cache.embedding_provider", "must be \"openai\" or \"ollama\"");
  if (const json::value* f = c.if_contains("embedding_fallback_models"); f != nullptr && !f->is_null()) {
    if (!f->is_array()) return field_error("cache.embedding_fallback_models", "must be an array of strings");
    for (const auto& item : f->get_array())
      if (!item.is_string())
        return field_error("cache.embedding_fallback_models", "must be an array of strings");
  }
  if (auto r = check_number(c, "ttl_seconds", 1, 31536000, false); !r)
    return field_error("cache.ttl_seconds", "must be a number between 1 and 31536000");
  if (auto r = check_number(c, "similarity_threshold", 0, 1, false); !r)
    return field_error("cache.similarity_threshold", "must be a number between 0 and 1");
  return {};
}

}  // namespace

std::vector<std::string> LlmConfig::routing_models() const {
  std::vector<std::string> ids;
  ids.reserve(1 + fallback_model_ids.size());
  ids.push_back(routing_model_id);
  for (const auto& id : fallback_model_ids) ids.push_back(id);
  return ids;
}

Result<LlmConfig> read_llm_config(const json::object& o) {
  LlmConfig c;
  const json::value* id = o.if_contains("routingModelId");
  if (id == nullptr || !id->is_string() || id->as_string().empty())
    return fail(ErrorCode::validation_error, "llm policy: routingModelId is required");
  c.routing_model_id = std::string(id->as_string());
  if (const json::value* f = o.if_contains("fallbackModelIds"); f != nullptr && f->is_array())
    for (const auto& item : f->get_array())
      if (item.is_string() && !item.as_string().empty()) c.fallback_model_ids.emplace_back(item.as_string());
  c.auto_routing = bool_or(o, "autoRouting", true);
  if (const json::value* info = o.if_contains("additionalPromptInfo"); info != nullptr && info->is_string())
    c.additional_prompt_info = std::string(info->as_string());
  c.thinking = bool_or(o, "thinking", false);
  c.include_reason = bool_or(o, "includeReason", false);
  if (auto n = int_of(o, "maxCompletionTokens")) c.max_completion_tokens = std::max(*n, kMinCompletionTokens);
  if (auto n = int_of(o, "maxUserMessageChars"))
    c.max_user_message_chars = std::max(*n, kMinUserMessageChars);
  c.memory = bool_or(o, "memory", false);
  if (auto n = int_of(o, "memoryCount"); n && *n >= 0) c.memory_count = *n;
  if (auto n = int_of(o, "timeoutMs"); n && *n > 0) c.timeout = std::chrono::milliseconds(*n);
  return c;
}

Result<void> validate_llm_config(const json::object& o) {
  const json::value* id = o.if_contains("routingModelId");
  if (id == nullptr || !id->is_string() || id->as_string().empty())
    return field_error("routingModelId", "required, a non-empty string");
  if (const json::value* f = o.if_contains("fallbackModelIds"); f != nullptr && !f->is_null()) {
    if (!f->is_array()) return field_error("fallbackModelIds", "must be an array of strings");
    const json::array& list = f->get_array();
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!list[i].is_string())
        return field_error("fallbackModelIds[" + std::to_string(i) + "]", "must be a string");
  }
  for (std::string_view key : {"autoRouting", "thinking", "includeReason", "memory"})
    if (auto r = check_bool(o, key); !r) return r;
  if (auto r = check_string(o, "additionalPromptInfo"); !r) return r;
  if (auto r = check_number(o, "maxCompletionTokens", 1, 1000000, true); !r) return r;
  if (auto r = check_number(o, "maxUserMessageChars", 1, 10000000, true); !r) return r;
  if (auto r = check_number(o, "memoryCount", 0, 50, true); !r) return r;
  if (auto r = check_number(o, "timeoutMs", 1, 600000, true); !r) return r;
  if (const json::value* cache = o.if_contains("cache")) return check_cache(*cache);
  return {};
}

}  // namespace routerly::routing::llm
