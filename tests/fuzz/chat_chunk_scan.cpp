// The chat relay's scan of an upstream chunk's text (no parsed document). When it says a chunk
// is plain, what it read must agree with the parsed document.
#include "harness.hpp"

#include "gateway/chat_chunk_scan.hpp"
#include "gateway/client_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  const std::string_view text = fuzz::as_text(data, size);
  const gateway::ChunkScan scan = gateway::scan_chat_chunk(text);
  if (!scan.plain) return 0;
  auto parsed = fuzz::parse_json(text);
  fuzz::fuzz_require(parsed && parsed->is_object(), "a plain chunk is a JSON object");
  const boost::json::object& chunk = parsed->get_object();
  fuzz::fuzz_require(!chunk.contains("error"), "a plain chunk carries no error");
  fuzz::fuzz_require(scan.text_chars == gateway::chunk_text_chars(chunk), "scanned text size matches the document");
  bool finish = false;
  if (const boost::json::value* choices = chunk.if_contains("choices"); choices && choices->is_array())
    for (const boost::json::value& choice : choices->get_array())
      if (const auto* o = choice.if_object())
        if (const boost::json::value* reason = o->if_contains("finish_reason"); reason && reason->is_string())
          finish = true;
  fuzz::fuzz_require(scan.saw_finish == finish, "scanned finish_reason matches the document");
  return 0;
}
