// What the generation routes require of a request body before any upstream is called.
#include <boost/json.hpp>

#include "gateway/generation.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

const json::value* present(const json::object& body, std::string_view key) {
  const json::value* v = body.if_contains(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

Result<void> invalid(std::string_view field, std::string_view what) {
  return fail(ErrorCode::validation_error, std::string(field) + ": " + std::string(what));
}

Result<void> optional_bool(const json::object& body, std::string_view key) {
  const json::value* v = present(body, key);
  if (v != nullptr && !v->is_bool()) return invalid(key, "must be a boolean");
  return {};
}

Result<void> optional_string(const json::object& body, std::string_view key) {
  const json::value* v = present(body, key);
  if (v != nullptr && !v->is_string()) return invalid(key, "must be a string");
  return {};
}

Result<void> optional_integer(const json::object& body, std::string_view key) {
  const json::value* v = present(body, key);
  if (v != nullptr && !v->is_int64() && !v->is_uint64()) return invalid(key, "must be an integer");
  return {};
}

Result<void> required_array(const json::object& body, std::string_view key) {
  const json::value* v = present(body, key);
  if (v == nullptr) return invalid(key, "is required");
  if (!v->is_array()) return invalid(key, "must be an array");
  for (std::size_t i = 0; i < v->get_array().size(); ++i)
    if (!v->get_array()[i].is_object())
      return invalid(std::string(key) + "[" + std::to_string(i) + "]", "must be an object");
  return {};
}

bool flag(const json::object& body, std::string_view key) {
  const json::value* v = body.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

Result<void> check_chat(Call& call) {
  const json::object& body = call.body;
  if (auto r = required_array(body, "messages"); !r) return r;
  if (body.at("messages").get_array().empty()) return invalid("messages", "must not be empty");
  for (auto key : {"stream", "parallel_tool_calls"})
    if (auto r = optional_bool(body, key); !r) return r;
  for (auto key : {"max_tokens", "max_completion_tokens", "n"})
    if (auto r = optional_integer(body, key); !r) return r;
  if (auto r = optional_string(body, "model"); !r) return r;
  if (const json::value* so = present(body, "stream_options")) {
    if (!so->is_object()) return invalid("stream_options", "must be an object");
    if (auto r = optional_bool(so->get_object(), "include_usage"); !r)
      return invalid("stream_options.include_usage", "must be a boolean");
    call.client_wants_usage = flag(so->get_object(), "include_usage");
  }
  if (const json::value* tools = present(body, "tools"); tools && !tools->is_array())
    return invalid("tools", "must be an array");
  call.stream = flag(body, "stream");
  return {};
}

Result<void> check_messages(Call& call) {
  const json::object& body = call.body;
  if (auto r = required_array(body, "messages"); !r) return r;
  if (body.at("messages").get_array().empty()) return invalid("messages", "must not be empty");
  if (auto r = optional_bool(body, "stream"); !r) return r;
  if (auto r = optional_integer(body, "max_tokens"); !r) return r;
  if (auto r = optional_string(body, "model"); !r) return r;
  if (const json::value* system = present(body, "system"); system && !system->is_string() && !system->is_array())
    return invalid("system", "must be a string or an array of text blocks");
  if (const json::value* tools = present(body, "tools"); tools && !tools->is_array())
    return invalid("tools", "must be an array");
  call.stream = flag(body, "stream");
  return {};
}

Result<void> check_responses(Call& call) {
  const json::object& body = call.body;
  const json::value* input = present(body, "input");
  if (input == nullptr) return invalid("input", "is required");
  if (!input->is_string() && !input->is_array()) return invalid("input", "must be a string or an array of items");
  for (auto key : {"stream", "store", "parallel_tool_calls"})
    if (auto r = optional_bool(body, key); !r) return r;
  for (auto key : {"max_output_tokens", "max_tokens"})
    if (auto r = optional_integer(body, key); !r) return r;
  for (auto key : {"model", "previous_response_id", "instructions"})
    if (auto r = optional_string(body, key); !r) return r;
  if (const json::value* tools = present(body, "tools"); tools && !tools->is_array())
    return invalid("tools", "must be an array");
  // As OpenAI: only "stream": true streams, whatever the Accept header says.
  call.stream = flag(body, "stream");
  return {};
}

}  // namespace

Result<void> check_request(Call& call) {
  switch (call.api) {
    case Api::chat:
      return check_chat(call);
    case Api::messages:
      return check_messages(call);
    case Api::responses:
      return check_responses(call);
  }
  return {};
}

}  // namespace routerly::gateway
