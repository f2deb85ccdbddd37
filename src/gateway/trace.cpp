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
                      {"costEstimate", info.cost_estimate},
                      {"pinned", info.pinned}};
}

std::string_view pinned_model(const json::array& trace) {
  for (const json::value& e : trace) {
    const json::object* entry = e.if_object();
    if (entry == nullptr) continue;
    const json::value* message = entry->if_contains("message");
    const json::value* details = entry->if_contains("details");
    if (message == nullptr || !message->is_string() || message->get_string() != "router:pinned" ||
        details == nullptr || !details->is_object())
      continue;
    const json::value* applied = details->get_object().if_contains("applied");
    const json::value* model = details->get_object().if_contains("model");
    if (applied != nullptr && applied->is_bool() && applied->get_bool() && model != nullptr && model->is_string())
      return model->get_string();
  }
  return {};
}

json::array policies_summary(const json::array& trace, std::string_view model) {
  auto field = [](const json::object& o, std::string_view key) -> const json::value* { return o.if_contains(key); };
  json::array out;
  for (const json::value& e : trace) {
    if (!e.is_object()) continue;
    const json::value* message = field(e.get_object(), "message");
    const json::value* details = field(e.get_object(), "details");
    if (message == nullptr || !message->is_string() || details == nullptr || !details->is_object()) continue;
    std::string_view m = message->get_string();
    const json::object& d = details->get_object();
    if (m == "router:policies") {
      out.clear();
      if (const json::value* list = field(d, "policies"); list != nullptr && list->is_array())
        for (const json::value& p : list->get_array())
          if (p.is_object())
            out.push_back(json::object{{"type", p.get_object().at("type")}, {"weight", p.get_object().at("weight")}, {"point", nullptr}});
      continue;
    }
    const bool result = m.starts_with("policy:result:");
    if (!result && !m.starts_with("policy:error:")) continue;
    std::string_view type = m.substr(result ? 14 : 13);
    for (json::value& s : out) {
      json::object& summary = s.get_object();
      if (summary.at("type").as_string() != type) continue;
      if (!result) summary["failed"] = true;
      if (const json::value* routing = field(d, "routing"); result && routing != nullptr && routing->is_array())
        for (const json::value& r : routing->get_array())
          if (r.is_object() && r.get_object().at("model").as_string() == model) summary["point"] = r.get_object().at("point");
    }
  }
  return out;
}

std::string trace_event_bytes(const json::object& entry) {
  json::object event{{"type", "trace"}, {"entry", entry}};
  return formats::format_sse("", json::serialize(event));
}

}  // namespace routerly::gateway
