// Chat Completions client streams: native relay from OpenAI-compatible upstreams and the
// Anthropic → chunk translation, sharing one chunk sink (trace placement, usage chunk rule).
#include <boost/json.hpp>

#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "formats/anthropic_to_openai_stream.hpp"
#include "formats/errors.hpp"
#include "formats/ollama_fixups.hpp"
#include "gateway/chat_chunk_scan.hpp"
#include "gateway/client_stream.hpp"
#include "gateway/trace.hpp"

namespace routerly::gateway {

namespace json = boost::json;

int64_t chunk_text_chars(const json::object& chunk) {
  const json::value* choices = chunk.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return 0;
  int64_t n = 0;
  auto add = [&n](const json::value* v) {
    if (v != nullptr && v->is_string()) n += static_cast<int64_t>(v->get_string().size());
  };
  for (const auto& choice : choices->get_array()) {
    const json::object* c = choice.if_object();
    const json::value* delta = c != nullptr ? c->if_contains("delta") : nullptr;
    if (delta == nullptr || !delta->is_object()) continue;
    const json::object& d = delta->get_object();
    add(d.if_contains("content"));
    add(d.if_contains("thinking"));
    add(d.if_contains("reasoning_content"));
    if (const json::value* calls = d.if_contains("tool_calls"); calls && calls->is_array())
      for (const auto& call : calls->get_array())
        if (const json::object* co = call.if_object())
          if (const json::value* fn = co->if_contains("function"); fn && fn->is_object())
            add(fn->get_object().if_contains("arguments"));
  }
  return n;
}

namespace {

// Everything a chat client receives goes through here.
class ChatSink {
 public:
  explicit ChatSink(const StreamContext& ctx) : ctx_(ctx) {}

  // `raw` is the chunk's original text when it may be forwarded unchanged, else empty.
  void on_chunk(const json::object& chunk, std::string_view raw, std::string& out) {
    if (!started_) {
      started_ = true;
      open(chunk, out);
    }
    const json::value* usage = chunk.if_contains("usage");
    if (usage != nullptr && usage->is_object()) usage_ = formats::usage_from_openai(usage->get_object());
    const json::value* choices = chunk.if_contains("choices");
    bool usage_only = usage != nullptr && usage->is_object() && choices != nullptr && choices->is_array() &&
                      choices->get_array().empty();
    if (usage_only && !ctx_.call.client_wants_usage) return;  // P3: only when the client asked
    output_chars_ += chunk_text_chars(chunk);
    if (!saw_finish_ && choices != nullptr && choices->is_array())
      for (const auto& c : choices->get_array())
        if (const json::object* co = c.if_object())
          if (const json::value* f = co->if_contains("finish_reason"); f && f->is_string()) saw_finish_ = true;
    if (raw.empty()) {
      out += formats::format_sse("", json::serialize(chunk));
    } else {
      out += "data: ";
      out += raw;
      out += "\n\n";
    }
  }

  // A chunk after the first that scan_chat_chunk() found plain (no usage object, no error):
  // the same bookkeeping as on_chunk(), then forwarded unchanged.
  void on_plain_chunk(const ChunkScan& scan, std::string_view raw, std::string& out) {
    output_chars_ += scan.text_chars;
    saw_finish_ = saw_finish_ || scan.saw_finish;
    out += "data: ";
    out += raw;
    out += "\n\n";
  }

  void finish(std::string& out, const json::object& closing_trace) {
    if (ctx_.call.trace_events) out += trace_event_bytes(closing_trace);
    out += formats::format_sse_done();
  }

  void fail(const Error& error, std::string& out) {
    out += formats::format_sse("", json::serialize(formats::openai_error_body(error)));
    out += formats::format_sse_done();
  }

  bool started() const { return started_; }
  bool saw_finish() const { return saw_finish_; }
  const std::optional<formats::TokenUsage>& usage() const { return usage_; }
  int64_t output_chars() const { return output_chars_; }

 private:
  // Before the first upstream chunk: the routing trace (P3).
  void open(const json::object& first, std::string& out) {
    if (ctx_.call.trace_events) {
      for (const auto& entry : ctx_.call.trace)
        if (entry.is_object()) out += trace_event_bytes(entry.get_object());
      return;
    }
    TraceChunkInfo info;
    if (const json::value* id = first.if_contains("id"); id && id->is_string()) info.id = id->get_string();
    if (const json::value* created = first.if_contains("created"); created && created->is_int64())
      info.created = created->get_int64();
    else
      info.created = clock::now_s();
    info.model = ctx_.candidate.target.model_id;
    info.trace_id = ctx_.call.trace_id;
    info.provider = ctx_.candidate.target.provider;
    info.policies = policies_summary(ctx_.call.trace, info.model);
    info.cost_estimate = ctx_.cost_estimate;
    info.pinned = pinned_model(ctx_.call.trace) == info.model;
    out += formats::format_sse("", json::serialize(trace_first_chunk(info)));
  }

  StreamContext ctx_;
  bool started_ = false;
  bool saw_finish_ = false;
  std::optional<formats::TokenUsage> usage_;
  int64_t output_chars_ = 0;
};

std::string message_of_error_payload(const json::object& payload, std::string_view raw) {
  (void)payload;
  return formats::upstream_error_message(0, raw);
}

class ChatNative final : public ClientStream {
 public:
  explicit ChatNative(const StreamContext& ctx)
      : sink_(ctx), ollama_fixup_(ctx.candidate.target.provider == "ollama" && !ctx.candidate.target.thinking) {}

  Result<void> on_event(const formats::SseEvent& event, std::string& out) override {
    if (event.data == "[DONE]") {
      done_ = true;
      return {};
    }
    // Most chunks only need counting and forwarding: scanned, not parsed. The first one (it
    // opens the stream), usage and error chunks, ollama's and odd ones take the parsed path.
    if (sink_.started() && !ollama_fixup_) {
      const ChunkScan scan = scan_chat_chunk(event.data);
      if (scan.plain) {
        sink_.on_plain_chunk(scan, event.data, out);
        return {};
      }
    }
    // Nothing of the parsed chunk outlives this call: a local arena instead of heap nodes.
    unsigned char arena_bytes[4096];
    json::monotonic_resource arena(arena_bytes, sizeof arena_bytes);
    boost::system::error_code ec;
    json::value parsed = json::parse(event.data, ec, &arena);
    if (ec || !parsed.is_object()) return routerly::fail(ErrorCode::upstream_error, "the provider sent malformed stream data");
    const json::object& chunk = parsed.get_object();
    if (chunk.contains("error") && !chunk.contains("choices"))
      return routerly::fail(ErrorCode::upstream_error, message_of_error_payload(chunk, event.data));
    if (ollama_fixup_) {  // SPEC §7.2: thinking-only deltas are re-emitted as content
      json::object patched = chunk;
      if (formats::ollama_thinking_delta_as_content(patched)) {
        sink_.on_chunk(patched, {}, out);
        return {};
      }
    }
    sink_.on_chunk(chunk, event.data, out);
    return {};
  }
  bool upstream_done() const override { return done_ || sink_.saw_finish(); }
  void finish(std::string& out, const json::object& closing_trace) override { sink_.finish(out, closing_trace); }
  void fail(const Error& error, std::string& out) override { sink_.fail(error, out); }
  std::optional<formats::TokenUsage> usage() const override { return sink_.usage(); }
  int64_t output_chars() const override { return sink_.output_chars(); }

 private:
  ChatSink sink_;
  bool ollama_fixup_;
  bool done_ = false;
};

class ChatViaAnthropic final : public ClientStream {
 public:
  explicit ChatViaAnthropic(const StreamContext& ctx)
      : sink_(ctx),
        translator_("chatcmpl-" + crypto::random_hex(12), ctx.candidate.target.upstream_model, clock::now_s()) {}

  Result<void> on_event(const formats::SseEvent& event, std::string& out) override {
    auto chunks = translator_.on_event(event);
    if (!chunks) return std::unexpected(chunks.error());
    for (const auto& chunk : *chunks) sink_.on_chunk(chunk, {}, out);
    return {};
  }
  bool upstream_done() const override { return translator_.finished(); }
  void finish(std::string& out, const json::object& closing_trace) override { sink_.finish(out, closing_trace); }
  void fail(const Error& error, std::string& out) override { sink_.fail(error, out); }
  std::optional<formats::TokenUsage> usage() const override {
    if (translator_.saw_usage()) return translator_.usage();
    return sink_.usage();
  }
  int64_t output_chars() const override { return sink_.output_chars(); }

 private:
  ChatSink sink_;
  formats::AnthropicToOpenAiStream translator_;
};

}  // namespace

std::unique_ptr<ClientStream> make_messages_stream(Mode mode, const StreamContext& ctx);
std::unique_ptr<ClientStream> make_responses_stream(Mode mode, const StreamContext& ctx);

std::unique_ptr<ClientStream> make_client_stream(Mode mode, const StreamContext& ctx) {
  switch (mode) {
    case Mode::chat_native:
      return std::make_unique<ChatNative>(ctx);
    case Mode::chat_via_anthropic:
      return std::make_unique<ChatViaAnthropic>(ctx);
    case Mode::messages_native:
    case Mode::messages_via_openai:
      return make_messages_stream(mode, ctx);
    default:
      return make_responses_stream(mode, ctx);
  }
}

}  // namespace routerly::gateway
