// Chat chunk stream → Responses API events (declared in responses_api.hpp).
#include "formats/json_fields.hpp"
#include "formats/responses_api.hpp"
#include "formats/responses_items.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::field;
using detail::object_field;
using detail::string_or;

ChatToResponsesStream::ChatToResponsesStream(json::object request, ResponseContext ctx)
    : request_(std::move(request)), ctx_(std::move(ctx)), id_suffix_(detail::response_id_suffix(ctx_.id)) {}

SseEvent ChatToResponsesStream::event(std::string_view type, json::object data) {
  json::object framed{{"type", type}, {"sequence_number", sequence_++}};
  framed.reserve(data.size() + 2);
  for (auto& kv : data) framed.emplace(kv.key(), std::move(kv.value()));
  return SseEvent{std::string(type), json::serialize(framed)};
}

void ChatToResponsesStream::start(std::vector<SseEvent>& out) {
  if (started_) return;
  started_ = true;
  json::object skeleton = response_skeleton(request_, ctx_);
  out.push_back(event("response.created", json::object{{"response", skeleton}}));
  out.push_back(event("response.in_progress", json::object{{"response", std::move(skeleton)}}));
}

void ChatToResponsesStream::close_item(std::size_t index, std::vector<SseEvent>& out) {
  Item& slot = items_[index];
  if (slot.done) return;
  slot.done = true;
  json::object& item = slot.item;
  std::string id(string_or(item, "id"));
  if (string_or(item, "type") == "message") {
    out.push_back(event("response.output_text.done", json::object{{"item_id", id},
                                                                  {"output_index", index},
                                                                  {"content_index", 0},
                                                                  {"text", slot.text},
                                                                  {"logprobs", json::array{}}}));
    out.push_back(
        event("response.content_part.done", json::object{{"item_id", id},
                                                         {"output_index", index},
                                                         {"content_index", 0},
                                                         {"part", detail::output_text_part(slot.text)}}));
    item["content"] = json::array{detail::output_text_part(slot.text)};
  } else {
    out.push_back(event(
        "response.function_call_arguments.done",
        json::object{
            {"item_id", id}, {"output_index", index}, {"name", item["name"]}, {"arguments", slot.text}}));
    item["arguments"] = slot.text;
  }
  // Items still open when the output was cut short are incomplete, as the API reports them.
  item["status"] = finished_ && detail::is_truncation(finish_reason_) ? "incomplete" : "completed";
  out.push_back(event("response.output_item.done", json::object{{"output_index", index}, {"item", item}}));
}

void ChatToResponsesStream::close_message(std::vector<SseEvent>& out) {
  if (!open_message_) return;
  close_item(*open_message_, out);
  open_message_.reset();
}

void ChatToResponsesStream::on_tool_call(const json::object& call, std::size_t position,
                                         std::vector<SseEvent>& out) {
  const json::value* index_value = field(call, "index");
  int64_t tool_index =
      index_value ? detail::as_int(*index_value).value_or(0) : static_cast<int64_t>(position);
  const json::object* function = object_field(call, "function");
  auto found = tool_items_.find(tool_index);
  if (found == tool_items_.end()) {
    close_message(out);
    std::size_t index = items_.size();
    std::string call_id(string_or(call, "id"));
    if (call_id.empty()) call_id = "call_" + id_suffix_ + "_" + std::to_string(tool_items_.size());
    json::object item = detail::function_call_item(
        detail::function_call_item_id(id_suffix_, tool_items_.size()), "in_progress", call_id,
        function ? string_or(*function, "name") : std::string_view{}, "");
    out.push_back(event("response.output_item.added", json::object{{"output_index", index}, {"item", item}}));
    items_.push_back(Item{std::move(item), {}, false});
    found = tool_items_.emplace(tool_index, index).first;
  }
  std::string_view arguments = function ? string_or(*function, "arguments") : std::string_view{};
  if (arguments.empty()) return;
  Item& slot = items_[found->second];
  slot.text += arguments;
  out.push_back(event(
      "response.function_call_arguments.delta",
      json::object{
          {"item_id", string_or(slot.item, "id")}, {"output_index", found->second}, {"delta", arguments}}));
}

Result<std::vector<SseEvent>> ChatToResponsesStream::on_data(std::string_view data) {
  if (data == "[DONE]") return finish();
  std::vector<SseEvent> out;
  if (finished_) return out;
  auto parsed = detail::parse_json(data);
  if (!parsed || !parsed->is_object())
    return fail(ErrorCode::upstream_error, "chat stream: chunk is not a JSON object");
  const json::object& chunk = parsed->get_object();
  if (const json::value* error = field(chunk, "error")) {
    const json::object* obj = error->if_object();
    return fail(ErrorCode::upstream_error,
                "upstream stream error: " +
                    std::string(obj ? string_or(*obj, "message", "unknown error") : "unknown error"));
  }
  start(out);
  if (const json::object* usage = object_field(chunk, "usage")) usage_ = usage_from_openai(*usage);
  const json::array* choices = detail::array_field(chunk, "choices");
  if (!choices || choices->empty()) return out;
  const json::object* choice = (*choices)[0].if_object();
  if (!choice) return fail(ErrorCode::upstream_error, "chat stream: choices[0]: expected an object");
  if (const json::object* delta = object_field(*choice, "delta")) {
    std::string_view text = string_or(*delta, "content");
    if (!text.empty()) {
      if (!open_message_) {
        std::size_t index = items_.size();
        std::size_t ordinal = 0;
        for (const auto& slot : items_) ordinal += string_or(slot.item, "type") == "message" ? 1 : 0;
        json::object item =
            detail::message_item(detail::message_item_id(id_suffix_, ordinal), "in_progress", false, "");
        std::string id(string_or(item, "id"));
        out.push_back(
            event("response.output_item.added", json::object{{"output_index", index}, {"item", item}}));
        out.push_back(
            event("response.content_part.added", json::object{{"item_id", id},
                                                              {"output_index", index},
                                                              {"content_index", 0},
                                                              {"part", detail::output_text_part("")}}));
        items_.push_back(Item{std::move(item), {}, false});
        open_message_ = index;
      }
      Item& slot = items_[*open_message_];
      slot.text += text;
      out.push_back(event("response.output_text.delta", json::object{{"item_id", string_or(slot.item, "id")},
                                                                     {"output_index", *open_message_},
                                                                     {"content_index", 0},
                                                                     {"delta", text},
                                                                     {"logprobs", json::array{}}}));
    }
    if (const json::array* calls = detail::array_field(*delta, "tool_calls")) {
      for (std::size_t i = 0; i < calls->size(); ++i) {
        if (const json::object* call = (*calls)[i].if_object()) on_tool_call(*call, i, out);
      }
    }
  }
  if (const json::string* finish = detail::string_field(*choice, "finish_reason")) finish_reason_ = *finish;
  return out;
}

std::vector<SseEvent> ChatToResponsesStream::finish() {
  std::vector<SseEvent> out;
  if (finished_) return out;
  start(out);
  finished_ = true;
  for (std::size_t i = 0; i < items_.size(); ++i) close_item(i, out);
  open_message_.reset();
  final_ = response_skeleton(request_, ctx_);
  detail::apply_finish_reason(final_, finish_reason_);
  json::array output;
  for (const auto& slot : items_) output.push_back(slot.item);
  final_["output"] = std::move(output);
  final_["usage"] = responses_usage_json(usage_);
  std::string_view terminal =
      string_or(final_, "status") == "incomplete" ? "response.incomplete" : "response.completed";
  out.push_back(event(terminal, json::object{{"response", final_}}));
  return out;
}

SseEvent ChatToResponsesStream::error_event(const Error& error) {
  finished_ = true;
  return event("error",
               json::object{{"code", code_name(error.code)}, {"message", error.message}, {"param", nullptr}});
}

}  // namespace routerly::formats
