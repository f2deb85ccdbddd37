#pragma once
// The routing prompt of the `llm` policy (SPEC §5.5): a system message that lists the
// candidates with their guidance and limits and fixes the answer format, and a user message
// that carries the request to classify. Pure.
#include <string>
#include <string_view>
#include <vector>

#include "routing/llm/config.hpp"
#include "routing/policy.hpp"

namespace routerly::routing::llm {

std::string system_prompt(const LlmConfig& config, const std::vector<PolicyCandidate>& candidates);

// `history`: the models earlier turns of the conversation were routed to, oldest first (already
// cut to memoryCount); ignored unless config.memory. Cut to maxUserMessageChars (code points)
// followed by "\n[truncated]".
std::string user_message(const LlmConfig& config, const RequestFeatures& request,
                         const std::vector<std::string>& history);

// The user message of the one repair call after an unparseable answer.
std::string repair_message();

// A number as the prompt shows it: integers without a fraction, others with up to 6 decimals.
std::string format_number(double value);

}  // namespace routerly::routing::llm
