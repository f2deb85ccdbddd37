#include "gateway/upstream_plan.hpp"

#include <boost/json/serialize.hpp>

#include "formats/anthropic_to_openai_request.hpp"
#include "formats/openai_to_anthropic_request.hpp"
#include "formats/responses_api.hpp"

namespace routerly::gateway {

namespace json = boost::json;

Mode mode_for(Api api, const providers::Target& target) {
  bool anthropic = target.wire == providers::Wire::anthropic;
  switch (api) {
    case Api::chat:
      return anthropic ? Mode::chat_via_anthropic : Mode::chat_native;
    case Api::messages:
      return anthropic ? Mode::messages_native : Mode::messages_via_openai;
    case Api::responses:
      if (anthropic) return Mode::responses_via_anthropic;
      return target.provider == "openai" ? Mode::responses_native : Mode::responses_via_openai;
  }
  return Mode::chat_native;
}

bool upstream_speaks_anthropic(Mode mode) {
  return mode == Mode::chat_via_anthropic || mode == Mode::messages_native || mode == Mode::responses_via_anthropic;
}

namespace {

Result<json::object> to_anthropic(const json::object& chat, const providers::Target& target, bool stream) {
  auto body = formats::openai_to_anthropic_request(chat, {target.upstream_model, target.thinking});
  if (!body) return body;
  if (stream) {
    (*body)["stream"] = true;
  } else {
    body->erase("stream");
  }
  return body;
}

// The Responses request for openai itself: a stored conversation is sent as explicit input
// items, because it may have been produced by another provider.
json::object native_responses_body(const Call& call, const providers::Target& target) {
  json::object body = call.body;
  body["model"] = target.upstream_model;
  body["stream"] = call.stream;
  if (call.history) {
    json::array input = *call.history;
    if (auto items = formats::responses_input_items(call.body))
      for (auto& item : *items) input.push_back(std::move(item));
    body["input"] = std::move(input);
    body.erase("previous_response_id");
  }
  return body;
}

}  // namespace

Result<UpstreamPlan> plan_upstream(const Call& call, const providers::Target& target,
                                   std::chrono::milliseconds timeout) {
  UpstreamPlan plan;
  plan.mode = mode_for(call.api, target);
  json::object body;
  providers::Call endpoint;
  const json::array* history = call.history ? &*call.history : nullptr;

  switch (plan.mode) {
    case Mode::chat_native:
      body = call.body;
      providers::shape_openai_body(body, target, call.stream);
      endpoint = providers::generation_call(target);
      break;
    case Mode::chat_via_anthropic: {
      auto translated = to_anthropic(call.body, target, call.stream);
      if (!translated) return std::unexpected(translated.error());
      body = std::move(*translated);
      endpoint = providers::generation_call(target);
      break;
    }
    case Mode::messages_native:
      body = call.body;
      body["model"] = target.upstream_model;
      endpoint = providers::generation_call(target);
      if (!call.anthropic_beta.empty()) endpoint.headers.push_back({"anthropic-beta", call.anthropic_beta});
      break;
    case Mode::messages_via_openai: {
      auto translated = formats::anthropic_to_openai_request(call.body, target.upstream_model);
      if (!translated) return std::unexpected(translated.error());
      body = std::move(*translated);
      providers::shape_openai_body(body, target, call.stream);
      endpoint = providers::generation_call(target);
      break;
    }
    case Mode::responses_native:
      body = native_responses_body(call, target);
      endpoint = providers::responses_call(target);
      break;
    case Mode::responses_via_openai: {
      auto chat = formats::responses_to_chat_request(call.body, target.upstream_model, history);
      if (!chat) return std::unexpected(chat.error());
      body = std::move(*chat);
      providers::shape_openai_body(body, target, call.stream);
      endpoint = providers::generation_call(target);
      break;
    }
    case Mode::responses_via_anthropic: {
      auto chat = formats::responses_to_chat_request(call.body, target.upstream_model, history);
      if (!chat) return std::unexpected(chat.error());
      auto translated = to_anthropic(*chat, target, call.stream);
      if (!translated) return std::unexpected(translated.error());
      body = std::move(*translated);
      endpoint = providers::generation_call(target);
      break;
    }
  }

  plan.request.method = "POST";
  plan.request.url = std::move(endpoint.url);
  plan.request.headers = std::move(endpoint.headers);
  if (call.stream) plan.request.headers.push_back({"accept", "text/event-stream"});
  plan.request.body = json::serialize(body);
  plan.request.headers_timeout = timeout;
  plan.request.idle_timeout = timeout;
  plan.request.connect_timeout = std::min(timeout, std::chrono::milliseconds(10000));
  return plan;
}

}  // namespace routerly::gateway
