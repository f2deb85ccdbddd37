#include "formats/openai_to_anthropic_stream.hpp"

#include "formats/json_fields.hpp"
#include "formats/stop_reasons.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::field;
using detail::object_field;
using detail::string_or;

namespace {
void emit(std::vector<SseEvent>& out, std::string_view type, const json::object& data) {
  out.push_back(SseEvent{std::string(type), json::serialize(data)});
}
}  // namespace

OpenAiToAnthropicStream::OpenAiToAnthropicStream(std::string message_id, std::string model,
                                                 int64_t input_tokens)
    : message_id_(std::move(message_id)), model_(std::move(model)) {
  usage_.input = input_tokens;
}

void OpenAiToAnthropicStream::start(std::vector<SseEvent>& out) {
  if (started_) return;
  started_ = true;
  json::object message{{"id", message_id_},        {"type", "message"},
                       {"role", "assistant"},      {"model", model_},
                       {"content", json::array{}}, {"stop_reason", nullptr},
                       {"stop_sequence", nullptr}, {"usage", anthropic_usage_json(usage_)}};
  emit(out, "message_start", json::object{{"type", "message_start"}, {"message", std::move(message)}});
}

void OpenAiToAnthropicStream::close_open_block(std::vector<SseEvent>& out) {
  if (!open_) return;
  emit(out, "content_block_stop", json::object{{"type", "content_block_stop"}, {"index", *open_}});
  open_.reset();
  open_is_text_ = false;
}

int64_t OpenAiToAnthropicStream::open_block(json::object content_block, std::vector<SseEvent>& out) {
  close_open_block(out);
  int64_t index = next_block_++;
  emit(out, "content_block_start",
       json::object{
           {"type", "content_block_start"}, {"index", index}, {"content_block", std::move(content_block)}});
  open_ = index;
  return index;
}

void OpenAiToAnthropicStream::on_tool_call(const json::object& call, std::size_t position,
                                           std::vector<SseEvent>& out) {
  const json::value* index_value = field(call, "index");
  int64_t tool_index =
      index_value ? detail::as_int(*index_value).value_or(0) : static_cast<int64_t>(position);
  const json::object* function = object_field(call, "function");
  auto found = tool_blocks_.find(tool_index);
  if (found == tool_blocks_.end()) {
    saw_tool_calls_ = true;
    std::string id(string_or(call, "id"));
    if (id.empty()) id = "toolu_" + message_id_ + "_" + std::to_string(tool_index);
    json::object block{{"type", "tool_use"},
                       {"id", id},
                       {"name", function ? string_or(*function, "name") : std::string_view{}},
                       {"input", json::object{}}};
    found = tool_blocks_.emplace(tool_index, open_block(std::move(block), out)).first;
  }
  std::string_view arguments = function ? string_or(*function, "arguments") : std::string_view{};
  if (arguments.empty()) return;
  json::object delta{{"type", "input_json_delta"}, {"partial_json", arguments}};
  emit(out, "content_block_delta",
       json::object{{"type", "content_block_delta"}, {"index", found->second}, {"delta", std::move(delta)}});
}

Result<std::vector<SseEvent>> OpenAiToAnthropicStream::on_data(std::string_view data) {
  if (data == "[DONE]") return finish();
  std::vector<SseEvent> out;
  if (finished_) return out;
  auto parsed = detail::parse_json(data);
  if (!parsed || !parsed->is_object()) {
    return fail(ErrorCode::upstream_error, "OpenAI stream: chunk is not a JSON object");
  }
  const json::object& chunk = parsed->get_object();
  if (const json::value* error = field(chunk, "error")) {
    error_body_ = chunk;
    const json::object* obj = error->if_object();
    std::string message = obj ? std::string(string_or(*obj, "message", "unknown error"))
                              : (error->is_string() ? std::string(error->get_string()) : "unknown error");
    return fail(ErrorCode::upstream_error, "OpenAI stream error: " + message);
  }
  start(out);
  if (const json::object* usage = object_field(chunk, "usage")) {
    usage_ = usage_from_openai(*usage);
    saw_usage_ = true;
  }
  const json::array* choices = detail::array_field(chunk, "choices");
  if (!choices || choices->empty()) return out;
  const json::object* choice = (*choices)[0].if_object();
  if (!choice) return fail(ErrorCode::upstream_error, "OpenAI stream: choices[0]: expected an object");
  if (const json::object* delta = object_field(*choice, "delta")) {
    std::string_view text = string_or(*delta, "content");
    if (!text.empty()) {
      if (!open_ || !open_is_text_) {
        open_block(json::object{{"type", "text"}, {"text", ""}}, out);
        open_is_text_ = true;
      }
      json::object text_delta{{"type", "text_delta"}, {"text", text}};
      emit(
          out, "content_block_delta",
          json::object{{"type", "content_block_delta"}, {"index", *open_}, {"delta", std::move(text_delta)}});
    }
    if (const json::array* calls = detail::array_field(*delta, "tool_calls")) {
      for (std::size_t i = 0; i < calls->size(); ++i) {
        if (const json::object* call = (*calls)[i].if_object()) on_tool_call(*call, i, out);
      }
    }
  }
  if (const json::string* finish = detail::string_field(*choice, "finish_reason")) {
    stop_reason_ = anthropic_stop_reason(*finish);
    close_open_block(out);
  }
  return out;
}

std::vector<SseEvent> OpenAiToAnthropicStream::finish() {
  std::vector<SseEvent> out;
  if (finished_) return out;
  start(out);
  close_open_block(out);
  finished_ = true;
  std::string_view stop = stop_reason_;
  if (saw_tool_calls_ && stop == "end_turn") stop = "tool_use";
  json::object delta{{"stop_reason", stop}, {"stop_sequence", nullptr}};
  emit(out, "message_delta",
       json::object{
           {"type", "message_delta"}, {"delta", std::move(delta)}, {"usage", anthropic_usage_json(usage_)}});
  emit(out, "message_stop", json::object{{"type", "message_stop"}});
  return out;
}

}  // namespace routerly::formats
