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
  bool pinned = false;  // `model` is the one the client named (pinned_model)
};

// A standard chat.completion.chunk (one choice, delta {"role":"assistant","content":""},
// finish_reason null) with the extra top-level keys type:"trace", traceId, provider,
// policies, costEstimate, pinned.
boost::json::object trace_first_chunk(const TraceChunkInfo& info);

// The first chunk's `policies` (P3), read from the routing trace: every enabled policy in order as
// {type, weight, point} with `point` the one it gave `model` (the chosen model), null when it
// gave none; a failed policy adds "failed":true. [] when routing ran no policy.
boost::json::array policies_summary(const boost::json::array& trace, std::string_view model);

// The model the client's `model` put first (the applied `router:pinned` entry), or "".
std::string_view pinned_model(const boost::json::array& trace);

// `data: {"type":"trace","entry":<entry>}` + blank line.
std::string trace_event_bytes(const boost::json::object& entry);

}  // namespace routerly::gateway
