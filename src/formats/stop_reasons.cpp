#include "formats/stop_reasons.hpp"

namespace routerly::formats {

std::string_view openai_finish_reason(std::string_view anthropic_stop_reason) {
  if (anthropic_stop_reason == "max_tokens") return "length";
  if (anthropic_stop_reason == "tool_use") return "tool_calls";
  if (anthropic_stop_reason == "refusal") return "content_filter";
  return "stop";
}

std::string_view anthropic_stop_reason(std::string_view openai_finish_reason) {
  if (openai_finish_reason == "length") return "max_tokens";
  if (openai_finish_reason == "tool_calls" || openai_finish_reason == "function_call") return "tool_use";
  if (openai_finish_reason == "content_filter") return "refusal";
  return "end_turn";
}

}  // namespace routerly::formats
