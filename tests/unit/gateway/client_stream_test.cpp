#include "gateway/client_stream.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "fixture.hpp"
#include "gateway/generation.hpp"
#include "gateway/local_token_count.hpp"
#include "gateway/tokenizer_data.hpp"

namespace routerly::gateway {
namespace {

namespace json = boost::json;

// Splits client bytes into the `data:` payloads.
std::vector<std::string> data_lines(const std::string& bytes) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = bytes.find("data: ", pos)) != std::string::npos) {
    std::size_t end = bytes.find('\n', pos);
    out.push_back(bytes.substr(pos + 6, end - pos - 6));
    pos = end;
  }
  return out;
}

struct Streams : ::testing::Test {
  std::shared_ptr<const Runtime> rt = testing::demo_runtime();
  Call call;
  const Candidate& gpt() const { return rt->project("p1")->candidates[0]; }
  const Candidate& claude() const { return rt->project("p1")->candidates[1]; }
  void SetUp() override {
    call.api = Api::chat;
    call.stream = true;
    call.trace_id = "trace-1";
  }
  static formats::SseEvent data(std::string d) { return {"", std::move(d)}; }
};

constexpr const char* kChunk =
    R"({"id":"c1","object":"chat.completion.chunk","created":5,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})";
constexpr const char* kFinish =
    R"({"id":"c1","object":"chat.completion.chunk","created":5,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})";
constexpr const char* kUsage =
    R"({"id":"c1","object":"chat.completion.chunk","created":5,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}})";

TEST_F(Streams, ChatTraceRidesOnAnExtraFirstChunkAndUsageChunkIsDropped) {
  StreamContext ctx{call, gpt(), 0.5};
  auto stream = make_client_stream(Mode::chat_native, ctx);
  std::string out;
  for (const char* d : {kChunk, kFinish, kUsage, "[DONE]"}) ASSERT_TRUE(stream->on_event(data(d), out));
  EXPECT_TRUE(stream->upstream_done());
  stream->finish(out, json::object{});
  auto lines = data_lines(out);
  ASSERT_EQ(lines.size(), 4u) << out;  // trace chunk, content, finish, [DONE]
  json::value first = json::parse(lines[0]);
  EXPECT_EQ(first.at("type"), "trace");
  EXPECT_EQ(first.at("traceId"), "trace-1");
  EXPECT_EQ(first.at("id"), "c1");
  EXPECT_EQ(first.at("choices").at(0).at("delta").at("role"), "assistant");
  EXPECT_EQ(lines[1], kChunk);  // forwarded unchanged
  EXPECT_EQ(lines[3], "[DONE]");
  ASSERT_TRUE(stream->usage());
  EXPECT_EQ(stream->usage()->input, 4);
  EXPECT_EQ(stream->output_chars(), 2);
}

// Chunks after the first are scanned, not parsed: counts and the finish still come out right,
// and a mid-stream error chunk still fails the stream.
TEST_F(Streams, ChatLaterChunksCountTextAndFinish) {
  StreamContext ctx{call, gpt(), 0};
  auto stream = make_client_stream(Mode::chat_native, ctx);
  std::string out;
  const char* more =
      R"({"id":"c1","choices":[{"index":0,"delta":{"content":" there","reasoning_content":"why"},"finish_reason":null}]})";
  for (const char* d : {kChunk, more}) ASSERT_TRUE(stream->on_event(data(d), out));
  EXPECT_FALSE(stream->upstream_done());
  EXPECT_EQ(stream->output_chars(), 2 + 6 + 3);
  ASSERT_TRUE(stream->on_event(data(kFinish), out));
  EXPECT_TRUE(stream->upstream_done());
  auto lines = data_lines(out);
  ASSERT_EQ(lines.size(), 4u) << out;  // trace chunk, three forwarded unchanged
  EXPECT_EQ(lines[2], more);
  EXPECT_EQ(lines[3], kFinish);
  auto failed = stream->on_event(data(R"({"error":{"message":"overloaded"}})"), out);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::upstream_error);
}

TEST_F(Streams, ChatUsageChunkKeptWhenTheClientAskedForIt) {
  call.client_wants_usage = true;
  StreamContext ctx{call, gpt(), 0};
  auto stream = make_client_stream(Mode::chat_native, ctx);
  std::string out;
  for (const char* d : {kChunk, kFinish, kUsage, "[DONE]"}) ASSERT_TRUE(stream->on_event(data(d), out));
  stream->finish(out, json::object{});
  EXPECT_EQ(data_lines(out).size(), 5u);
}

TEST_F(Streams, TraceEventsModeSendsEntriesInsteadOfTheTraceChunk) {
  call.trace_events = true;
  call.trace.push_back(json::object{{"panel", "request"}, {"message", "model:request"}, {"details", json::object{}}});
  StreamContext ctx{call, gpt(), 0};
  auto stream = make_client_stream(Mode::chat_native, ctx);
  std::string out;
  ASSERT_TRUE(stream->on_event(data(kChunk), out));
  ASSERT_TRUE(stream->on_event(data("[DONE]"), out));
  stream->finish(out, json::object{{"panel", "response"}, {"message", "model:success"}, {"details", json::object{}}});
  auto lines = data_lines(out);
  ASSERT_EQ(lines.size(), 4u) << out;
  EXPECT_EQ(json::parse(lines[0]).at("entry").at("message"), "model:request");
  EXPECT_EQ(lines[1], kChunk);
  EXPECT_EQ(json::parse(lines[2]).at("entry").at("message"), "model:success");
  EXPECT_EQ(lines[3], "[DONE]");
}

TEST_F(Streams, ChatMidStreamErrorIsAnErrorEventThenDone) {
  StreamContext ctx{call, gpt(), 0};
  auto stream = make_client_stream(Mode::chat_native, ctx);
  std::string out;
  ASSERT_TRUE(stream->on_event(data(kChunk), out));
  EXPECT_FALSE(stream->upstream_done());
  auto broken = stream->on_event(data("{oops"), out);
  ASSERT_FALSE(broken);
  out.clear();
  stream->fail(broken.error(), out);
  auto lines = data_lines(out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(json::parse(lines[0]).at("error").at("message").is_string());
  EXPECT_EQ(lines[1], "[DONE]");
}

TEST_F(Streams, AnthropicUpstreamBecomesChatChunks) {
  StreamContext ctx{call, claude(), 0};
  auto stream = make_client_stream(Mode::chat_via_anthropic, ctx);
  std::string out;
  std::vector<formats::SseEvent> events{
      {"message_start",
       R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","usage":{"input_tokens":7,"output_tokens":1}}})"},
      {"content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"},
      {"content_block_delta",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}})"},
      {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
      {"message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}})"},
      {"message_stop", R"({"type":"message_stop"})"}};
  for (const auto& e : events) ASSERT_TRUE(stream->on_event(e, out));
  EXPECT_TRUE(stream->upstream_done());
  stream->finish(out, json::object{});
  auto lines = data_lines(out);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(json::parse(lines[0]).at("type"), "trace");
  EXPECT_EQ(lines.back(), "[DONE]");
  bool saw_hello = false;
  for (const auto& l : lines)
    if (l != "[DONE]") {
      json::value v = json::parse(l);
      ASSERT_TRUE(v.at("choices").is_array()) << l;  // every chunk is SDK-safe
      if (!v.at("choices").as_array().empty())
        if (const auto* c = v.at("choices").at(0).at("delta").as_object().if_contains("content"))
          saw_hello |= *c == "Hello";
    }
  EXPECT_TRUE(saw_hello);
  ASSERT_TRUE(stream->usage());
  EXPECT_EQ(stream->usage()->input, 7);
  EXPECT_EQ(stream->usage()->output, 2);
}

TEST_F(Streams, MessagesNativeRelaysEventsAndRelaysUpstreamErrors) {
  call.api = Api::messages;
  StreamContext ctx{call, claude(), 0};
  auto stream = make_client_stream(Mode::messages_native, ctx);
  std::string out;
  ASSERT_TRUE(stream->on_event({"ping", R"({"type":"ping"})"}, out));
  EXPECT_EQ(out, "event: ping\ndata: {\"type\":\"ping\"}\n\n");
  out.clear();
  auto err = stream->on_event({"error", R"({"type":"error","error":{"type":"overloaded_error","message":"busy"}})"}, out);
  ASSERT_FALSE(err);
  stream->fail(err.error(), out);
  EXPECT_EQ(out, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}\n\n");
}

TEST_F(Streams, MessagesFromOpenAiFailWithAnAnthropicErrorEvent) {
  call.api = Api::messages;
  StreamContext ctx{call, gpt(), 0};
  auto stream = make_client_stream(Mode::messages_via_openai, ctx);
  std::string out;
  ASSERT_TRUE(stream->on_event(data(kChunk), out));
  EXPECT_NE(out.find("event: message_start"), std::string::npos);
  out.clear();
  stream->fail(Error{ErrorCode::upstream_error, "gone"}, out);
  EXPECT_TRUE(out.starts_with("event: error\n")) << out;
  EXPECT_NE(out.find("\"message\":\"gone\""), std::string::npos);
}

// message_start carries the request's o200k count (what count_tokens answers locally), not
// characters / 4: "Be brief." (3) + "hello world" (2) + framing (3 per message, 3 priming).
TEST_F(Streams, MessagesFromOpenAiStartWithTheTokenizerCount) {
  if (std::getenv("ROUTERLY_TOKENIZER_DATA") == nullptr) {
    // The test binary sits in <build>/tests/; the data in <build>/data/.
    auto data = std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() / "data" /
                "o200k_base.tiktoken";
    setenv("ROUTERLY_TOKENIZER_DATA", data.c_str(), 1);
  }
  const formats::Tokenizer* tokenizer = o200k_tokenizer();
  ASSERT_NE(tokenizer, nullptr) << "tokenizer data missing (build target tokenizer_data)";
  call.api = Api::messages;
  call.body = json::parse(R"({"system":"Be brief.","messages":[{"role":"user","content":"hello world"}]})").as_object();
  call.input_chars = 20;  // its estimate would be 5
  call.input_tokens = stream_input_tokens(call.body, tokenizer);
  ASSERT_EQ(call.input_tokens.value_or(-1), 11);
  auto counted = count_message_tokens(call.body, tokenizer);
  ASSERT_TRUE(counted);
  EXPECT_EQ(counted->input_tokens, 11);  // the local count_tokens answer

  StreamContext ctx{call, gpt(), 0};
  auto stream = make_client_stream(Mode::messages_via_openai, ctx);
  std::string out;
  ASSERT_TRUE(stream->on_event(data(kChunk), out));
  auto lines = data_lines(out);
  ASSERT_FALSE(lines.empty()) << out;
  json::value start = json::parse(lines[0]);
  EXPECT_EQ(start.at("type"), "message_start");
  EXPECT_EQ(start.at("message").at("usage").at("input_tokens"), 11);

  EXPECT_FALSE(stream_input_tokens(call.body, nullptr).has_value());  // no tokenizer: the estimate stays
}

}  // namespace
}  // namespace routerly::gateway
