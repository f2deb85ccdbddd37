#include "formats/anthropic_to_openai_stream.hpp"

#include "formats/json_fields.hpp"
#include "formats/stop_reasons.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::object_field;
using detail::string_or;

AnthropicToOpenAiStream::AnthropicToOpenAiStream(std::string id, std::string model, int64_t created)
    : id_(std::move(id)), model_(std::move(model)), created_(created) {}

json::object AnthropicToOpenAiStream::chunk(json::object delta, json::value finish_reason) const {
  json::object choice{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", std::move(finish_reason)}};
  return json::object{{"id", id_},
                      {"object", "chat.completion.chunk"},
                      {"created", created_},
                      {"model", model_},
                      {"choices", json::array{std::move(choice)}}};
}

Result<std::vector<json::object>> AnthropicToOpenAiStream::on_event(const SseEvent& event) {
  std::vector<json::object> out;
  auto parsed = detail::parse_json(event.data);
  if (!parsed || !parsed->is_object()) {
    return fail(ErrorCode::upstream_error, "Anthropic stream: event data is not a JSON object");
  }
  const json::object& data = parsed->get_object();
  std::string_view type = string_or(data, "type", event.event);

  if (type == "message_start") {
    if (const json::object* message = object_field(data, "message")) {
      if (const json::string* id = detail::string_field(*message, "id"); id && !id->empty()) id_ = *id;
      accumulate_anthropic_stream_usage(usage_, data);
      saw_usage_ = saw_usage_ || object_field(*message, "usage") != nullptr;
    }
    out.push_back(chunk(json::object{{"role", "assistant"}, {"content", ""}}, nullptr));
  } else if (type == "content_block_start") {
    int64_t index = detail::int_or_zero(data, "index");
    const json::object* block = object_field(data, "content_block");
    std::string_view block_type = block ? string_or(*block, "type") : std::string_view{};
    Block info;
    if (block_type == "text") {
      info.kind = Block::Kind::text;
      if (std::string_view text = string_or(*block, "text"); !text.empty()) {
        out.push_back(chunk(json::object{{"content", text}}, nullptr));
      }
    } else if (block_type == "thinking") {
      info.kind = Block::Kind::thinking;
    } else if (block_type == "tool_use") {
      info.kind = Block::Kind::tool;
      info.tool_index = next_tool_index_++;
      json::object call{{"index", info.tool_index},
                        {"id", string_or(*block, "id")},
                        {"type", "function"},
                        {"function", json::object{{"name", string_or(*block, "name")}, {"arguments", ""}}}};
      out.push_back(chunk(json::object{{"tool_calls", json::array{std::move(call)}}}, nullptr));
    } else {
      info.kind = Block::Kind::other;  // redacted thinking, server tools: nothing to show
    }
    blocks_[index] = info;
  } else if (type == "content_block_delta") {
    const json::object* delta = object_field(data, "delta");
    if (!delta) return fail(ErrorCode::upstream_error, "Anthropic stream: content_block_delta without delta");
    std::string_view delta_type = string_or(*delta, "type");
    auto found = blocks_.find(detail::int_or_zero(data, "index"));
    if (delta_type == "text_delta") {
      out.push_back(chunk(json::object{{"content", string_or(*delta, "text")}}, nullptr));
    } else if (delta_type == "thinking_delta") {
      out.push_back(chunk(json::object{{"thinking", string_or(*delta, "thinking")}}, nullptr));
    } else if (delta_type == "input_json_delta" && found != blocks_.end() &&
               found->second.kind == Block::Kind::tool && !string_or(*delta, "partial_json").empty()) {
      json::object call{{"index", found->second.tool_index},
                        {"function", json::object{{"arguments", string_or(*delta, "partial_json")}}}};
      out.push_back(chunk(json::object{{"tool_calls", json::array{std::move(call)}}}, nullptr));
    }
  } else if (type == "message_delta") {
    const json::object* delta = object_field(data, "delta");
    std::string_view stop = delta ? string_or(*delta, "stop_reason", "end_turn") : "end_turn";
    out.push_back(chunk(json::object{}, json::value(openai_finish_reason(stop))));
    accumulate_anthropic_stream_usage(usage_, data);
    saw_usage_ = saw_usage_ || object_field(data, "usage") != nullptr;
    json::object usage_chunk{
        {"id", id_},       {"object", "chat.completion.chunk"}, {"created", created_},
        {"model", model_}, {"choices", json::array{}},          {"usage", openai_usage_json(usage_)}};
    out.push_back(std::move(usage_chunk));
  } else if (type == "message_stop") {
    finished_ = true;
  } else if (type == "error") {
    error_body_ = data;
    const json::object* error = object_field(data, "error");
    std::string message =
        error ? std::string(string_or(*error, "message", "unknown error")) : "unknown error";
    return fail(ErrorCode::upstream_error, "Anthropic stream error: " + message);
  }
  return out;
}

}  // namespace routerly::formats
