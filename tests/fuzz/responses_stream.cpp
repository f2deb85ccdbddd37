// An OpenAI-compatible upstream's chat chunk stream, translated into the Responses event
// stream. Whatever the upstream sends, sequence numbers count up from 0 without gaps, every
// event's data is a JSON object whose `type` is the event's name, and finish() is terminal.
#include "stream_input.hpp"

#include "formats/responses_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  boost::json::object request{{"model", "fuzz-model"}, {"input", "hi"}, {"instructions", "be brief"}};
  formats::ChatToResponsesStream stream(request, {"resp_fuzz", 1'700'000'000, "fuzz-model"});
  std::vector<formats::SseEvent> out;
  bool failed = false;
  for (const formats::SseEvent& event : fuzz::upstream_events(data, size)) {
    auto got = stream.on_data(event.data);
    if (!got) {
      out.push_back(stream.error_event(got.error()));
      failed = true;
      break;
    }
    out.insert(out.end(), got->begin(), got->end());
    if (stream.finished()) break;
  }
  if (!failed) {
    auto tail = stream.finish();
    out.insert(out.end(), tail.begin(), tail.end());
    fuzz::fuzz_require(stream.finish().empty(), "finish is idempotent");
    (void)boost::json::serialize(stream.response());
  }
  int64_t expected = 0;
  for (const formats::SseEvent& e : out) {
    auto parsed = fuzz::parse_json(e.data);
    fuzz::fuzz_require(parsed && parsed->is_object(), "every event's data is a JSON object");
    const boost::json::object& o = parsed->get_object();
    const boost::json::value* type = o.if_contains("type");
    fuzz::fuzz_require(type && type->is_string() && type->get_string() == e.event, "`type` is the event name");
    const boost::json::value* seq = o.if_contains("sequence_number");
    fuzz::fuzz_require(seq && seq->is_int64() && seq->get_int64() == expected, "sequence numbers count up");
    ++expected;
  }
  return 0;
}
