#pragma once
// Reading the routing model's answer (SPEC §5.5): code fences stripped, then the JSON
// `routing` array, else every complete {"model":…,"point":N[,"reason":…]} object found in the
// text. Pure.
#include <optional>
#include <string_view>
#include <vector>

#include "routing/policy.hpp"

namespace routerly::routing::llm {

// The text without a leading ```lang fence line and a trailing ``` fence, trimmed.
std::string_view strip_fences(std::string_view text);

// The scores, or nullopt when the answer holds none (the caller then asks for a repair).
// From the JSON form a non-number point reads as 0; entries without a string model are skipped.
std::optional<std::vector<PolicyPoint>> parse_routing_reply(std::string_view text);

}  // namespace routerly::routing::llm
