// An OpenAI-compatible upstream's chat chunk stream, translated for an Anthropic client.
// Whatever the upstream sends, the client gets a well-formed event sequence: it ends with
// message_stop exactly once, and every event's data is a JSON object.
#include "stream_input.hpp"

#include "formats/openai_to_anthropic_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  formats::OpenAiToAnthropicStream stream("msg_fuzz", "fuzz-model", 11);
  std::vector<formats::SseEvent> out;
  for (const formats::SseEvent& event : fuzz::upstream_events(data, size)) {
    auto got = stream.on_data(event.data);
    if (!got) break;  // the relay ends the stream with an error event here
    out.insert(out.end(), got->begin(), got->end());
    if (stream.finished()) break;
  }
  auto tail = stream.finish();
  out.insert(out.end(), tail.begin(), tail.end());
  fuzz::fuzz_require(stream.finish().empty(), "finish is idempotent");
  size_t stops = 0;
  for (const formats::SseEvent& e : out) {
    auto parsed = fuzz::parse_json(e.data);
    fuzz::fuzz_require(parsed && parsed->is_object(), "every event's data is a JSON object");
    if (e.event == "message_stop") ++stops;
  }
  if (!out.empty()) {
    fuzz::fuzz_require(out.front().event == "message_start", "the stream opens with message_start");
    fuzz::fuzz_require(stops == 1 && out.back().event == "message_stop", "the stream ends with one message_stop");
  }
  return 0;
}
