#include "gateway/response_translation.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "formats/anthropic_to_openai_response.hpp"
#include "formats/ollama_fixups.hpp"
#include "formats/openai_to_anthropic_response.hpp"
#include "formats/responses_api.hpp"
#include "gateway/usage_recorder.hpp"

namespace routerly::gateway {

namespace json = boost::json;

std::string_view continued_from(const Call& call) {
  if (!call.history) return {};
  const json::value* id = call.body.if_contains("previous_response_id");
  return id != nullptr && id->is_string() ? std::string_view(id->get_string()) : std::string_view();
}

std::string new_response_id() {
  return "resp_" + crypto::random_hex(16);
}

namespace {

int64_t output_chars_of(const json::object& body) {
  int64_t n = 0;
  for (std::string_view key : {"choices", "content", "output"})
    if (const json::value* v = body.if_contains(key)) n += output_text_chars(*v);
  return n;
}

Result<json::object> chat_from_anthropic(const json::value& upstream, const providers::Target& target) {
  return formats::anthropic_to_openai_response(upstream, clock::now_s(), target.upstream_model);
}

Result<json::object> responses_from_chat(const json::value& completion, const Call& call,
                                         const providers::Target& target) {
  formats::ResponseContext ctx{new_response_id(), clock::now_s(), target.upstream_model};
  return formats::chat_to_responses_response(completion, call.body, ctx);
}

}  // namespace

Result<ClientBody> translate_response(Mode mode, const Call& call, const providers::Target& target,
                                      std::string_view upstream_body) {
  // The native modes only read the parsed body (no part of it outlives this call): it is then
  // parsed into a local arena instead of one heap block per node.
  const bool read_only = mode == Mode::chat_native || mode == Mode::messages_native;
  unsigned char arena_bytes[8192];
  json::monotonic_resource arena(arena_bytes, sizeof arena_bytes);
  boost::system::error_code ec;
  json::storage_ptr storage = read_only ? json::storage_ptr(&arena) : json::storage_ptr();
  json::value upstream = json::parse(upstream_body, ec, std::move(storage));
  if (ec || !upstream.is_object())
    return fail(ErrorCode::upstream_error, "the provider answered with malformed JSON");
  const json::object& object = upstream.get_object();
  if (object.contains("error") && !object.contains("choices") && !object.contains("content") &&
      !object.contains("output"))
    return fail(ErrorCode::upstream_error, "the provider answered 2xx with an error body");

  // Ollama without thinking may answer only in `thinking` (SPEC §7.2): clients read `content`.
  bool patched_thinking = false;
  if (target.provider == "ollama" && !target.thinking && !upstream_speaks_anthropic(mode))
    patched_thinking = formats::ollama_thinking_as_content(upstream.get_object());

  ClientBody out;
  auto keep = [&](json::object translated) {
    out.output_chars = output_chars_of(translated);
    out.body = json::serialize(translated);
    return translated;
  };

  switch (mode) {
    case Mode::chat_native:
      out.usage = formats::openai_usage_in(upstream);
      out.output_chars = output_chars_of(object);
      out.body = patched_thinking ? json::serialize(object) : std::string(upstream_body);
      break;
    case Mode::messages_native:
      out.usage = formats::anthropic_usage_in(upstream);
      out.output_chars = output_chars_of(object);
      out.body = std::string(upstream_body);
      break;
    case Mode::responses_native: {
      if (const json::value* u = object.if_contains("usage"); u && u->is_object())
        out.usage = formats::usage_from_responses(u->get_object());
      out.output_chars = output_chars_of(object);
      std::string_view previous = continued_from(call);
      if (previous.empty()) {
        out.body = std::string(upstream_body);
        out.response = object;
      } else {  // the conversation went upstream inlined: answer as the client asked
        json::object patched = object;
        patched["previous_response_id"] = previous;
        out.body = json::serialize(patched);
        out.response = std::move(patched);
      }
      break;
    }
    case Mode::chat_via_anthropic: {
      auto chat = chat_from_anthropic(upstream, target);
      if (!chat) return std::unexpected(chat.error());
      out.usage = formats::anthropic_usage_in(upstream);
      keep(std::move(*chat));
      break;
    }
    case Mode::messages_via_openai: {
      auto message = formats::openai_to_anthropic_response(upstream, "msg_" + crypto::random_hex(12),
                                                           target.upstream_model);
      if (!message) return std::unexpected(message.error());
      out.usage = formats::openai_usage_in(upstream);
      keep(std::move(*message));
      break;
    }
    case Mode::responses_via_openai: {
      auto response = responses_from_chat(upstream, call, target);
      if (!response) return std::unexpected(response.error());
      out.usage = formats::openai_usage_in(upstream);
      out.response = keep(std::move(*response));
      break;
    }
    case Mode::responses_via_anthropic: {
      auto chat = chat_from_anthropic(upstream, target);
      if (!chat) return std::unexpected(chat.error());
      auto response = responses_from_chat(json::value(std::move(*chat)), call, target);
      if (!response) return std::unexpected(response.error());
      out.usage = formats::anthropic_usage_in(upstream);
      out.response = keep(std::move(*response));
      break;
    }
  }
  return out;
}

}  // namespace routerly::gateway
