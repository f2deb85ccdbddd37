// Anthropic Messages client streams (SPEC §00 P15, §7.8): the native relay keeps every
// upstream event as it is; from OpenAI-compatible upstreams the chunks are translated, and
// message_start reports the request's o200k token count (what clients such as LangChain read
// as the input usage) instead of an estimate.
#include <algorithm>
#include <boost/json.hpp>

#include "common/crypto.hpp"
#include "formats/errors.hpp"
#include "formats/openai_to_anthropic_stream.hpp"
#include "gateway/client_stream.hpp"
#include "gateway/generation.hpp"
#include "gateway/local_token_count.hpp"
#include "gateway/tokenizer_data.hpp"
#include "gateway/usage_recorder.hpp"
#include "providers/adapter.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

std::string anthropic_error_event(const Error& error) {
  return formats::format_sse("error", json::serialize(formats::anthropic_error_body(error)));
}

// Text characters of a content_block_delta event's delta.
int64_t delta_chars(const json::object& event) {
  const json::value* delta = event.if_contains("delta");
  if (delta == nullptr || !delta->is_object()) return 0;
  int64_t n = 0;
  for (std::string_view key : {"text", "partial_json", "thinking"})
    if (const json::value* v = delta->get_object().if_contains(key); v && v->is_string())
      n += static_cast<int64_t>(v->get_string().size());
  return n;
}

class MessagesNative final : public ClientStream {
 public:
  Result<void> on_event(const formats::SseEvent& event, std::string& out) override {
    boost::system::error_code ec;
    json::value parsed = json::parse(event.data, ec);
    if (ec || !parsed.is_object())
      return routerly::fail(ErrorCode::upstream_error, "the provider sent malformed stream data");
    const json::object& object = parsed.get_object();
    std::string_view type;
    if (const json::value* t = object.if_contains("type"); t && t->is_string()) type = t->get_string();
    if (type == "error") {
      // Already in the client's format: relay it as the stream's last event.
      out += formats::format_sse("error", event.data);
      error_relayed_ = true;
      return routerly::fail(ErrorCode::upstream_error, formats::upstream_error_message(0, event.data));
    }
    if (type == "message_start" || type == "message_delta") {
      formats::accumulate_anthropic_stream_usage(usage_, parsed);
      saw_usage_ = true;
    } else if (type == "content_block_delta") {
      output_chars_ += delta_chars(object);
    } else if (type == "message_stop") {
      done_ = true;
    }
    out += formats::format_sse(event.event.empty() ? type : std::string_view(event.event), event.data);
    return {};
  }
  bool upstream_done() const override { return done_; }
  void finish(std::string& /*out*/, const json::object& /*closing_trace*/) override {}
  void fail(const Error& error, std::string& out) override {
    if (!error_relayed_) out += anthropic_error_event(error);
  }
  std::optional<formats::TokenUsage> usage() const override {
    return saw_usage_ ? std::optional(usage_) : std::nullopt;
  }
  int64_t output_chars() const override { return output_chars_; }

 private:
  formats::TokenUsage usage_;
  bool saw_usage_ = false;
  bool done_ = false;
  bool error_relayed_ = false;
  int64_t output_chars_ = 0;
};

class MessagesViaOpenAi final : public ClientStream {
 public:
  explicit MessagesViaOpenAi(const StreamContext& ctx)
      : translator_("msg_" + crypto::random_hex(12), ctx.candidate.target.upstream_model,
                    ctx.call.input_tokens.value_or(estimate_tokens(ctx.call.input_chars))) {}

  Result<void> on_event(const formats::SseEvent& event, std::string& out) override {
    auto events = translator_.on_data(event.data);
    if (!events) return std::unexpected(events.error());
    write(*events, out);
    return {};
  }
  bool upstream_done() const override { return translator_.finished(); }
  void finish(std::string& out, const json::object& /*closing_trace*/) override { write(translator_.finish(), out); }
  void fail(const Error& error, std::string& out) override { out += anthropic_error_event(error); }
  std::optional<formats::TokenUsage> usage() const override {
    return translator_.saw_usage() ? std::optional(translator_.usage()) : std::nullopt;
  }
  int64_t output_chars() const override { return output_chars_; }

 private:
  void write(const std::vector<formats::SseEvent>& events, std::string& out) {
    for (const auto& e : events) {
      if (e.event == "content_block_delta") {
        boost::system::error_code ec;
        json::value v = json::parse(e.data, ec);
        if (!ec && v.is_object()) output_chars_ += delta_chars(v.get_object());
      }
      out += formats::format_sse(e.event, e.data);
    }
  }
  formats::OpenAiToAnthropicStream translator_;
  int64_t output_chars_ = 0;
};

}  // namespace

std::optional<int64_t> stream_input_tokens(const json::object& body, const formats::Tokenizer* tokenizer) {
  if (tokenizer == nullptr) return std::nullopt;
  auto counted = count_message_tokens(body, tokenizer);
  if (!counted || counted->estimated) return std::nullopt;
  return counted->input_tokens;
}

boost::asio::awaitable<void> count_stream_input(http::Exchange& exchange, Call& call) {
  if (call.api != Api::messages || !call.stream || call.input_chars > kMaxCountedStreamChars) co_return;
  const auto& candidates = call.caller.project->candidates;
  bool translated = std::any_of(candidates.begin(), candidates.end(), [](const Candidate& c) {
    return c.target.wire != providers::Wire::anthropic;
  });
  if (!translated) co_return;  // Anthropic upstreams report the real count themselves
  std::optional<int64_t> tokens;
  // Tokenizing (and loading the table the first time) is CPU work: off the I/O strand.
  co_await exchange.run_blocking([&]() {
    tokens = stream_input_tokens(call.body, o200k_tokenizer());
    return http::Response{};
  });
  call.input_tokens = tokens;
}

std::unique_ptr<ClientStream> make_messages_stream(Mode mode, const StreamContext& ctx) {
  if (mode == Mode::messages_native) return std::make_unique<MessagesNative>();
  return std::make_unique<MessagesViaOpenAi>(ctx);
}

}  // namespace routerly::gateway
