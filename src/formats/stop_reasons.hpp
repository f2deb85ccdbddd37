#pragma once
// Finish-reason vocabulary between the two wire formats (SPEC §7.4, §7.5, §7.8, P16).
#include <string_view>

namespace routerly::formats {

// Anthropic stop_reason → OpenAI finish_reason: end_turn, stop_sequence, pause_turn → stop;
// max_tokens → length; tool_use → tool_calls; refusal → content_filter; anything else → stop.
std::string_view openai_finish_reason(std::string_view anthropic_stop_reason);

// OpenAI finish_reason → Anthropic stop_reason: stop → end_turn; length → max_tokens;
// tool_calls / function_call → tool_use; content_filter → refusal; anything else → end_turn.
std::string_view anthropic_stop_reason(std::string_view openai_finish_reason);

}  // namespace routerly::formats
