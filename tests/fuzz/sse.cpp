// The upstream event-stream parser fed arbitrary bytes. The events must not depend on how the
// bytes were cut into reads: the whole input in one feed and the same input in chunks whose
// sizes the first byte picks give the same events.
#include "harness.hpp"

#include <vector>

#include "formats/sse.hpp"

namespace {

using routerly::formats::SseEvent;
using routerly::formats::SseParser;

// Events of the whole stream fed in chunks of `chunk` bytes (0: one feed); nullopt on failure.
std::optional<std::vector<SseEvent>> parse(std::string_view bytes, size_t chunk, size_t limit) {
  SseParser parser(limit);
  std::vector<SseEvent> events;
  if (chunk == 0) chunk = bytes.size() + 1;
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    auto got = parser.feed(bytes.substr(at, chunk));
    if (!got) return std::nullopt;
    events.insert(events.end(), got->begin(), got->end());
  }
  auto rest = parser.finish();
  events.insert(events.end(), rest.begin(), rest.end());
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  const auto [knob, bytes] = fuzz::steer(fuzz::as_text(data, size));
  const size_t chunk = 1 + knob % 17;
  auto whole = parse(bytes, 0, SseParser::kDefaultMaxEventBytes);
  auto pieces = parse(bytes, chunk, SseParser::kDefaultMaxEventBytes);
  fuzz::fuzz_require(whole.has_value() && pieces.has_value(), "input under the limit parses");
  fuzz::fuzz_require(*whole == *pieces, "events do not depend on how the bytes were split");
  (void)parse(bytes, chunk, 64);  // a small limit: failing must be clean
  // What we write, we read back.
  if (!whole->empty()) {
    const SseEvent& first = whole->front();
    if (first.event.find_first_of("\r\n") == std::string::npos) {
      auto back = parse(formats::format_sse(first.event, first.data), 0, SseParser::kDefaultMaxEventBytes);
      fuzz::fuzz_require(back && back->size() == 1 && back->front() == first, "format_sse round-trips an event");
    }
  }
  return 0;
}
