#pragma once
// What the chat relay needs of one OpenAI chat.completion.chunk, read by an event scan of its
// text instead of a parsed document: most chunks of a stream are one small content delta that
// is forwarded unchanged, and building a JSON tree for each was most of the relay's CPU work.
#include <cstdint>
#include <string_view>

namespace routerly::gateway {

struct ChunkScan {
  // False when the chunk needs the parsed document: it carries a usage object or an error,
  // is not a JSON object, or could not be scanned (malformed). Only then the fields below
  // are meaningless.
  bool plain = false;
  bool saw_finish = false;  // some choices[i].finish_reason is a string
  int64_t text_chars = 0;   // chunk_text_chars() of the same chunk
};

ChunkScan scan_chat_chunk(std::string_view json_text);

}  // namespace routerly::gateway
