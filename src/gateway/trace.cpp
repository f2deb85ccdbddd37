#include "gateway/trace.hpp"

#include <boost/json/serialize.hpp>

#include "formats/sse.hpp"

namespace routerly::gateway {

namespace json = boost::json;

json::object trace_entry(std::string_view panel, std::string_view message, json::object details) {
  return json::object{{"panel", panel}, {"message", message}, {"details", std::move(details)}};
}

json::object trace_first_chunk(const TraceChunkInfo& info) {
  json::object delta{{"role", "assistant"}, {"content", ""}};
  json::object choice{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}, {"finish_reason", nullptr}};
  return json::object{{"id", info.id},
                      {"object", "chat.completion.chunk"},
                      {"created", info.created},
                      {"model", info.model},
                      {"choices", json::array{std::move(choice)}},
                      {"type", "trace"},
                      {"traceId", info.trace_id},
                      {"provider", info.provider},
                      {"policies", info.policies},
                      {"costEstimate", info.cost_estimate}};
}

std::string trace_event_bytes(const json::object& entry) {
  json::object event{{"type", "trace"}, {"entry", entry}};
  return formats::format_sse("", json::serialize(event));
}

}  // namespace routerly::gateway
