// An Anthropic upstream's event stream, translated into chat.completion.chunk objects for an
// OpenAI client. Whatever the upstream sends, every chunk is a chat.completion.chunk.
#include "stream_input.hpp"

#include "formats/anthropic_to_openai_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  formats::AnthropicToOpenAiStream stream("chatcmpl-fuzz", "fuzz-model", 1'700'000'000);
  for (const formats::SseEvent& event : fuzz::upstream_events(data, size)) {
    auto chunks = stream.on_event(event);
    if (!chunks) break;  // the relay ends the stream with an error chunk here
    for (const boost::json::object& chunk : *chunks) {
      const boost::json::value* object = chunk.if_contains("object");
      fuzz::fuzz_require(object && object->is_string() && object->get_string() == "chat.completion.chunk",
                         "every chunk is a chat.completion.chunk");
      fuzz::fuzz_require(chunk.contains("choices"), "every chunk has choices");
      (void)boost::json::serialize(chunk);
    }
    if (stream.finished()) break;
  }
  (void)stream.usage();
  return 0;
}
