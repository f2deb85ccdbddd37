#pragma once
// Ollama with thinking disabled (SPEC §7.2) may still answer only in its `thinking` field;
// OpenAI clients read `content`, so such replies are moved there. Pure.
#include <boost/json/object.hpp>

namespace routerly::formats {

// chat.completion: choices[i].message with empty content and a non-empty `thinking` gets
// content = thinking (thinking removed). True when something changed.
bool ollama_thinking_as_content(boost::json::object& completion);
// chat.completion.chunk: a delta carrying `thinking` but no content gets content = thinking.
bool ollama_thinking_delta_as_content(boost::json::object& chunk);

}  // namespace routerly::formats
