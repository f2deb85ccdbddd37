#pragma once
// The `llm` policy's configuration (SPEC §5.5): read leniently for routing (defaults for
// absent or mistyped optional keys) and validated strictly for the management API.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace routerly::routing::llm {

inline constexpr int64_t kMinCompletionTokens = 50;
inline constexpr int64_t kMinUserMessageChars = 100;
inline constexpr std::chrono::milliseconds kDefaultTimeout{8000};

struct LlmConfig {
  std::string routing_model_id;
  std::vector<std::string> fallback_model_ids;
  bool auto_routing = true;
  std::string additional_prompt_info;  // used only when auto_routing is false
  bool thinking = false;
  bool include_reason = false;
  std::optional<int64_t> max_completion_tokens;   // floored to kMinCompletionTokens
  std::optional<int64_t> max_user_message_chars;  // floored to kMinUserMessageChars
  bool memory = false;
  int64_t memory_count = 5;
  std::chrono::milliseconds timeout = kDefaultTimeout;  // whole policy (all routing calls)

  // [routing_model_id, ...fallback_model_ids]
  std::vector<std::string> routing_models() const;
};

// validation_error "llm policy: routingModelId is required" when it is missing or not a
// non-empty string; every other key falls back to its default when absent or mistyped.
Result<LlmConfig> read_llm_config(const boost::json::object& config);

// Strict check for the management API; the message names the offending field
// (e.g. "field 'config.fallbackModelIds[1]' must be a string").
Result<void> validate_llm_config(const boost::json::object& config);

}  // namespace routerly::routing::llm
