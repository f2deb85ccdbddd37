// Responses API client streams (SPEC §00 P14): native relay from openai's /responses, or the
// Responses event stream built from chat chunks (OpenAI-compatible upstreams directly,
// Anthropic upstreams through the Anthropic → chunk translator).
#include <boost/json.hpp>

#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "formats/anthropic_to_openai_stream.hpp"
#include "formats/errors.hpp"
#include "formats/responses_api.hpp"
#include "gateway/client_stream.hpp"
#include "gateway/response_translation.hpp"
#include "gateway/usage_recorder.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

class ResponsesNative final : public ClientStream {
 public:
  explicit ResponsesNative(std::string previous_id) : previous_id_(std::move(previous_id)) {}

  Result<void> on_event(const formats::SseEvent& event, std::string& out) override {
    boost::system::error_code ec;
    json::value parsed = json::parse(event.data, ec);
    if (ec || !parsed.is_object())
      return routerly::fail(ErrorCode::upstream_error, "the provider sent malformed stream data");
    json::object& object = parsed.get_object();
    std::string_view type;
    if (const json::value* t = object.if_contains("type"); t && t->is_string()) type = t->get_string();
    if (const json::value* seq = object.if_contains("sequence_number"); seq && seq->is_int64())
      sequence_ = seq->get_int64();
    std::string_view name = event.event.empty() ? type : std::string_view(event.event);
    json::value* response = object.if_contains("response");
    if (!previous_id_.empty() && response != nullptr && response->is_object()) {
      // The conversation went upstream inlined: the response continues the client's id.
      response->get_object()["previous_response_id"] = previous_id_;
      out += formats::format_sse(name, json::serialize(object));
    } else {
      out += formats::format_sse(name, event.data);
    }
    if (type == "error" || type == "response.failed") {
      error_relayed_ = true;
      return routerly::fail(ErrorCode::upstream_error, formats::upstream_error_message(0, event.data));
    }
    if (type == "response.output_text.delta" || type == "response.function_call_arguments.delta") {
      if (const json::value* d = object.if_contains("delta"); d && d->is_string())
        output_chars_ += static_cast<int64_t>(d->get_string().size());
    } else if (type == "response.completed" || type == "response.incomplete") {
      done_ = true;
      if (const json::value* r = object.if_contains("response"); r && r->is_object()) {
        response_ = r->get_object();
        if (const json::value* u = r->get_object().if_contains("usage"); u && u->is_object())
          usage_ = formats::usage_from_responses(u->get_object());
      }
    }
    return {};
  }
  bool upstream_done() const override { return done_; }
  void finish(std::string& /*out*/, const json::object& /*closing_trace*/) override {}
  void fail(const Error& error, std::string& out) override {
    if (error_relayed_) return;
    json::object data{{"type", "error"},
                      {"code", code_name(error.code)},
                      {"message", error.message},
                      {"param", nullptr},
                      {"sequence_number", sequence_ + 1}};
    out += formats::format_sse("error", json::serialize(data));
  }
  std::optional<formats::TokenUsage> usage() const override { return usage_; }
  int64_t output_chars() const override { return output_chars_; }
  std::optional<json::object> response() const override { return response_; }

 private:
  std::string previous_id_;
  std::optional<formats::TokenUsage> usage_;
  std::optional<json::object> response_;
  int64_t sequence_ = 0;
  int64_t output_chars_ = 0;
  bool done_ = false;
  bool error_relayed_ = false;
};

// Chat chunks (from an OpenAI-compatible upstream, or translated from Anthropic events) →
// Responses events.
class ResponsesViaChat final : public ClientStream {
 public:
  ResponsesViaChat(const StreamContext& ctx, bool from_anthropic)
      : responses_(ctx.call.body, formats::ResponseContext{new_response_id(), clock::now_s(),
                                                           ctx.candidate.target.upstream_model}) {
    if (from_anthropic)
      anthropic_.emplace("chatcmpl-" + crypto::random_hex(12), ctx.candidate.target.upstream_model, clock::now_s());
  }

  Result<void> on_event(const formats::SseEvent& event, std::string& out) override {
    if (!anthropic_) return feed(event.data, out);
    auto chunks = anthropic_->on_event(event);
    if (!chunks) return std::unexpected(chunks.error());
    for (const auto& chunk : *chunks)
      if (auto fed = feed(json::serialize(chunk), out); !fed) return fed;
    if (anthropic_->finished()) anthropic_done_ = true;
    return {};
  }
  bool upstream_done() const override { return responses_.finished() || anthropic_done_; }
  void finish(std::string& out, const json::object& /*closing_trace*/) override {
    write(responses_.finish(), out);
  }
  void fail(const Error& error, std::string& out) override {
    formats::SseEvent e = responses_.error_event(error);
    out += formats::format_sse(e.event, e.data);
  }
  std::optional<formats::TokenUsage> usage() const override {
    if (anthropic_ && anthropic_->saw_usage()) return anthropic_->usage();
    const formats::TokenUsage& u = responses_.usage();
    if (u.input == 0 && u.output == 0) return std::nullopt;
    return u;
  }
  int64_t output_chars() const override { return output_chars_; }
  std::optional<json::object> response() const override {
    if (!responses_.finished()) return std::nullopt;
    return responses_.response();
  }

 private:
  Result<void> feed(std::string_view data, std::string& out) {
    auto events = responses_.on_data(data);
    if (!events) return std::unexpected(events.error());
    write(*events, out);
    return {};
  }
  void write(const std::vector<formats::SseEvent>& events, std::string& out) {
    for (const auto& e : events) {
      if (e.event == "response.output_text.delta" || e.event == "response.function_call_arguments.delta") {
        boost::system::error_code ec;
        json::value v = json::parse(e.data, ec);
        if (!ec && v.is_object())
          if (const json::value* d = v.get_object().if_contains("delta"); d && d->is_string())
            output_chars_ += static_cast<int64_t>(d->get_string().size());
      }
      out += formats::format_sse(e.event, e.data);
    }
  }

  formats::ChatToResponsesStream responses_;
  std::optional<formats::AnthropicToOpenAiStream> anthropic_;
  bool anthropic_done_ = false;
  int64_t output_chars_ = 0;
};

}  // namespace

std::unique_ptr<ClientStream> make_responses_stream(Mode mode, const StreamContext& ctx) {
  if (mode == Mode::responses_native) return std::make_unique<ResponsesNative>(std::string(continued_from(ctx.call)));
  return std::make_unique<ResponsesViaChat>(ctx, mode == Mode::responses_via_anthropic);
}

}  // namespace routerly::gateway
