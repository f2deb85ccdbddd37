// Stream translator behaviour not covered by the golden fixtures: empty streams, idempotent
// finish, generated ids, in-stream errors, and stream/non-stream agreement.
#include "formats/anthropic_to_openai_stream.hpp"
#include "formats/openai_to_anthropic_request.hpp"
#include "formats/openai_to_anthropic_stream.hpp"
#include "formats/responses_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::formats {
namespace {

namespace json = boost::json;

std::vector<std::string> names(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event);
  return out;
}

TEST(OpenAiToAnthropicStream, EmptyUpstreamStillProducesAWellFormedMessage) {
  OpenAiToAnthropicStream stream("msg_1", "m", 42);
  auto events = stream.finish();
  EXPECT_EQ(names(events), (std::vector<std::string>{"message_start", "message_delta", "message_stop"}));
  EXPECT_EQ(json::parse(events[0].data).at("message").at("usage").at("input_tokens"), 42);
  EXPECT_EQ(json::parse(events[1].data).at("delta").at("stop_reason"), "end_turn");
  EXPECT_TRUE(stream.finish().empty());
  auto after = stream.on_data(R"({"choices":[{"delta":{"content":"late"}}]})");
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->empty());
}

TEST(OpenAiToAnthropicStream, ToolCallWithoutIdGetsOneAndLengthMapsToMaxTokens) {
  OpenAiToAnthropicStream stream("msg_1", "m");
  auto events = stream.on_data(
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{}"}}]}}]})");
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(names(*events),
            (std::vector<std::string>{"message_start", "content_block_start", "content_block_delta"}));
  EXPECT_EQ(json::parse((*events)[1].data).at("content_block").at("id"), "toolu_msg_1_0");
  auto end = stream.on_data(R"({"choices":[{"delta":{},"finish_reason":"length"}]})");
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(names(*end), (std::vector<std::string>{"content_block_stop"}));
  auto done = stream.on_data("[DONE]");
  ASSERT_TRUE(done.has_value());
  ASSERT_EQ(done->size(), 2u);
  EXPECT_EQ(json::parse((*done)[0].data).at("delta").at("stop_reason"), "max_tokens");
}

TEST(OpenAiToAnthropicStream, UsageInTheFinishChunkIsCaptured) {
  OpenAiToAnthropicStream stream("msg_1", "m");
  ASSERT_TRUE(stream.on_data(
      R"({"choices":[{"delta":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}})"));
  EXPECT_TRUE(stream.saw_usage());
  EXPECT_EQ(stream.usage(), (TokenUsage{3, 1, 0, 0}));
}

TEST(AnthropicToOpenAiStream, UsageAndFinish) {
  AnthropicToOpenAiStream stream("chatcmpl-x", "claude", 7);
  ASSERT_TRUE(stream.on_event(
      {"",
       R"({"type":"message_start","message":{"id":"msg_9","usage":{"input_tokens":4,"cache_creation_input_tokens":6}}})"}));
  auto end = stream.on_event(
      {"", R"({"type":"message_delta","delta":{"stop_reason":"refusal"},"usage":{"output_tokens":2}})"});
  ASSERT_TRUE(end.has_value());
  ASSERT_EQ(end->size(), 2u);
  EXPECT_EQ((*end)[0].at("choices").at(0).at("finish_reason"), "content_filter");
  EXPECT_EQ((*end)[0].at("id"), "msg_9");
  EXPECT_TRUE((*end)[1].at("choices").as_array().empty());
  EXPECT_EQ(stream.usage(), (TokenUsage{10, 2, 0, 6}));
  EXPECT_FALSE(stream.finished());
  ASSERT_TRUE(stream.on_event({"message_stop", R"({"type":"message_stop"})"}));
  EXPECT_TRUE(stream.finished());
}

TEST(AnthropicToOpenAiStream, EventNameUsedWhenDataHasNoType) {
  AnthropicToOpenAiStream stream("chatcmpl-x", "claude", 7);
  auto chunks = stream.on_event({"message_start", R"({"message":{"id":"msg_2"}})"});
  ASSERT_TRUE(chunks.has_value());
  ASSERT_EQ(chunks->size(), 1u);
  EXPECT_EQ((*chunks)[0].at("choices").at(0).at("delta").at("role"), "assistant");
}

TEST(ChatToResponsesStream, FinalResponseMatchesNonStreamTranslation) {
  json::object request = json::parse(R"({"model":"m","input":"Hi","temperature":0.5})").as_object();
  ResponseContext ctx{"resp_abc", 1700000000, "llama3.1"};
  ChatToResponsesStream stream(request, ctx);
  for (std::string_view data :
       {R"({"choices":[{"delta":{"role":"assistant","content":"Hel"}}]})",
        R"({"choices":[{"delta":{"content":"lo"}}]})", R"({"choices":[{"delta":{},"finish_reason":"stop"}]})",
        R"({"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}})", "[DONE]"}) {
    ASSERT_TRUE(stream.on_data(data).has_value());
  }
  ASSERT_TRUE(stream.finished());
  auto direct = chat_to_responses_response(
      json::parse(R"({"choices":[{"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":5,"completion_tokens":2}})"),
      request, ctx);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(stream.response(), *direct);
  EXPECT_EQ(stream.usage(), (TokenUsage{5, 2, 0, 0}));
}

TEST(ChatToResponsesStream, ErrorEventContinuesSequenceAndEndsStream) {
  ChatToResponsesStream stream(json::object{}, ResponseContext{"resp_1", 0, "m"});
  auto first = stream.on_data(R"({"choices":[{"delta":{"content":"a"}}]})");
  ASSERT_TRUE(first.has_value());
  int64_t last_seq = json::parse(first->back().data).at("sequence_number").as_int64();
  SseEvent err = stream.error_event(Error{ErrorCode::upstream_timeout, "idle timeout"});
  EXPECT_EQ(err.event, "error");
  json::value data = json::parse(err.data);
  EXPECT_EQ(data.at("sequence_number"), last_seq + 1);
  EXPECT_EQ(data.at("code"), "upstream_timeout");
  EXPECT_EQ(data.at("message"), "idle timeout");
  EXPECT_TRUE(stream.finished());
  EXPECT_TRUE(stream.finish().empty());
}

TEST(ResponsesInputItems, StringBecomesUserMessage) {
  auto items = responses_input_items(json::parse(R"({"input":"hey"})").as_object());
  ASSERT_TRUE(items.has_value());
  EXPECT_EQ(json::value(*items), json::parse(R"([{"type":"message","role":"user","content":"hey"}])"));
}

TEST(OpenAiToAnthropicRequestParts, FilePartsAndUntypedParts) {
  auto out = openai_to_anthropic_request(json::parse(R"({"messages":[{"role":"user","content":[
          {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}},
          {"text":"untyped"},{"type":"text","text":""}]}]})")
                                             .as_object(),
                                         AnthropicRequestOptions{"c", false});
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->at("messages").at(0).at("content"), json::parse(R"([
      {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
      {"type":"text","text":"untyped"}])"));
}

}  // namespace
}  // namespace routerly::formats
