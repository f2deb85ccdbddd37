#pragma once
// Upstream stream bytes for the stream-translator harnesses: the first byte picks the read
// size, the rest is the body an upstream sent, parsed into events the way the relay does.
#include "harness.hpp"

#include <vector>

#include "formats/sse.hpp"

namespace routerly::fuzz {

// Every event the upstream bytes hold, read in chunks as a socket would deliver them; the
// events after a framing failure are dropped (the relay stops there too).
inline std::vector<formats::SseEvent> upstream_events(const uint8_t* data, size_t size) {
  const auto [knob, bytes] = steer(as_text(data, size));
  const size_t chunk = 1 + static_cast<size_t>(knob) * 7;
  formats::SseParser parser;
  std::vector<formats::SseEvent> events;
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    auto got = parser.feed(bytes.substr(at, chunk));
    if (!got) return events;
    events.insert(events.end(), got->begin(), got->end());
  }
  auto rest = parser.finish();
  events.insert(events.end(), rest.begin(), rest.end());
  return events;
}

}  // namespace routerly::fuzz
