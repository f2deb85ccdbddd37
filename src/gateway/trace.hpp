#pragma once
// Routing-trace entries (SPEC §4.7, §8.3) and their two stream forms (SPEC §00 P3): the
// SDK-safe first chunk, and the `{"type":"trace","entry":…}` events of `x-routerly-trace: events`.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace routerly::gateway {

boost::json::object trace_entry(std::string_view panel, std::string_view message, boost::json::object details);

struct TraceChunkInfo {
  std::string id;  // the stream's chunk id
  int64_t created = 0;
  std::string model;  // the chosen model
  std::string trace_id;
  std::string provider;
  boost::json::array policies;
  double cost_estimate = 0;
};

// A standard chat.completion.chunk (one choice, delta {"role":"assistant","content":""},
// finish_reason null) with the extra top-level keys type:"trace", traceId, provider,
// policies, costEstimate.
boost::json::object trace_first_chunk(const TraceChunkInfo& info);

// `data: {"type":"trace","entry":<entry>}` + blank line.
std::string trace_event_bytes(const boost::json::object& entry);

}  // namespace routerly::gateway
