// Malformed client input → validation_error naming the field; malformed provider output →
// upstream_error; never a crash or an exception.
#include "formats/anthropic_to_openai_request.hpp"
#include "formats/anthropic_to_openai_response.hpp"
#include "formats/anthropic_to_openai_stream.hpp"
#include "formats/openai_to_anthropic_request.hpp"
#include "formats/openai_to_anthropic_response.hpp"
#include "formats/openai_to_anthropic_stream.hpp"
#include "formats/responses_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::formats {
namespace {

namespace json = boost::json;

json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

template <class T>
void expect_error(const Result<T>& result, ErrorCode code, std::string_view needle) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, code);
  EXPECT_NE(result.error().message.find(needle), std::string::npos) << result.error().message;
}

TEST(MalformedClientInput, OpenAiToAnthropicRequest) {
  AnthropicRequestOptions o{"claude", false};
  expect_error(openai_to_anthropic_request(obj(R"({})"), o), ErrorCode::validation_error, "messages");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":"hi"})"), o), ErrorCode::validation_error,
               "messages");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[1]})"), o), ErrorCode::validation_error,
               "messages[0]");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[{"content":"x"}]})"), o),
               ErrorCode::validation_error, "messages[0].role");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[{"role":"user","content":5}]})"), o),
               ErrorCode::validation_error, "messages[0].content");
  expect_error(openai_to_anthropic_request(
                   obj(R"({"messages":[{"role":"user","content":[{"type":"image_url"}]}]})"), o),
               ErrorCode::validation_error, "messages[0].content[0].image_url.url");
  expect_error(openai_to_anthropic_request(
                   obj(R"({"messages":[{"role":"user","content":[{"type":"text","text":3}]}]})"), o),
               ErrorCode::validation_error, "messages[0].content[0].text");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[],"max_tokens":"10"})"), o),
               ErrorCode::validation_error, "max_tokens");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[],"max_tokens":0})"), o),
               ErrorCode::validation_error, "max_tokens");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[],"temperature":"hot"})"), o),
               ErrorCode::validation_error, "temperature");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[],"stop":[1]})"), o),
               ErrorCode::validation_error, "stop[0]");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[],"tools":[{"type":"function"}]})"), o),
               ErrorCode::validation_error, "tools[0].function.name");
  expect_error(openai_to_anthropic_request(obj(R"({"messages":[],"tool_choice":"sometimes"})"), o),
               ErrorCode::validation_error, "tool_choice");
  expect_error(openai_to_anthropic_request(
                   obj(R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":7}]}]})"), o),
               ErrorCode::validation_error, "messages[0].tool_calls[0].function");
}

TEST(MalformedClientInput, AnthropicToOpenAiRequest) {
  expect_error(anthropic_to_openai_request(obj(R"({"max_tokens":5})"), "m"), ErrorCode::validation_error,
               "messages");
  expect_error(anthropic_to_openai_request(obj(R"({"messages":[{"role":"system","content":"x"}]})"), "m"),
               ErrorCode::validation_error, "messages[0].role");
  expect_error(anthropic_to_openai_request(obj(R"({"messages":[{"role":"user"}]})"), "m"),
               ErrorCode::validation_error, "messages[0].content");
  expect_error(
      anthropic_to_openai_request(obj(R"({"messages":[{"role":"user","content":[{"type":"image"}]}]})"), "m"),
      ErrorCode::validation_error, "messages[0].content[0].source");
  expect_error(anthropic_to_openai_request(obj(R"({"messages":[],"max_tokens":-1})"), "m"),
               ErrorCode::validation_error, "max_tokens");
  expect_error(anthropic_to_openai_request(obj(R"({"messages":[],"system":7})"), "m"),
               ErrorCode::validation_error, "system");
  expect_error(
      anthropic_to_openai_request(
          obj(R"({"messages":[],"tools":[{"type":"web_search_20250305","name":"web_search"}]})"), "m"),
      ErrorCode::validation_error, "tools[0].type");
  expect_error(anthropic_to_openai_request(
                   obj(R"({"messages":[],"tools":[{"name":"t"}],"tool_choice":{"type":"maybe"}})"), "m"),
               ErrorCode::validation_error, "tool_choice.type");
  expect_error(anthropic_to_openai_request(obj(R"({"messages":[],"stop_sequences":"x"})"), "m"),
               ErrorCode::validation_error, "stop_sequences");
}

TEST(MalformedClientInput, ResponsesRequest) {
  expect_error(responses_to_chat_request(obj(R"({})"), "m"), ErrorCode::validation_error, "input");
  expect_error(responses_to_chat_request(obj(R"({"input":3})"), "m"), ErrorCode::validation_error, "input");
  expect_error(responses_to_chat_request(obj(R"({"input":[{"type":"function_call","name":"f"}]})"), "m"),
               ErrorCode::validation_error, "input[0].call_id");
  expect_error(responses_to_chat_request(obj(R"({"input":[{"type":"computer_call"}]})"), "m"),
               ErrorCode::validation_error, "input[0].type");
  expect_error(
      responses_to_chat_request(
          obj(R"({"input":[{"role":"user","content":[{"type":"input_image","file_id":"f"}]}]})"), "m"),
      ErrorCode::validation_error, "input[0].content[0].image_url");
  expect_error(responses_to_chat_request(obj(R"({"input":"x","tools":[{"type":"web_search"}]})"), "m"),
               ErrorCode::validation_error, "tools[0].type");
  expect_error(responses_to_chat_request(obj(R"({"input":"x","max_output_tokens":1.5})"), "m"),
               ErrorCode::validation_error, "max_output_tokens");
  expect_error(responses_to_chat_request(obj(R"({"input":"x","text":{"format":{"type":"yaml"}}})"), "m"),
               ErrorCode::validation_error, "text.format.type");
  expect_error(responses_to_chat_request(obj(R"({"input":"x","instructions":["a"]})"), "m"),
               ErrorCode::validation_error, "instructions");
}

TEST(MalformedProviderOutput, NonStreamResponses) {
  expect_error(anthropic_to_openai_response(json::parse("[]"), 0, "m"), ErrorCode::upstream_error,
               "JSON object");
  expect_error(anthropic_to_openai_response(json::parse(R"({"type":"message"})"), 0, "m"),
               ErrorCode::upstream_error, "content");
  expect_error(anthropic_to_openai_response(json::parse(R"({"content":[1]})"), 0, "m"),
               ErrorCode::upstream_error, "content[0]");
  expect_error(
      anthropic_to_openai_response(
          json::parse(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"), 0,
          "m"),
      ErrorCode::upstream_error, "Overloaded");
  expect_error(openai_to_anthropic_response(json::parse("\"x\""), "id", "m"), ErrorCode::upstream_error,
               "JSON object");
  expect_error(openai_to_anthropic_response(json::parse(R"({"choices":[]})"), "id", "m"),
               ErrorCode::upstream_error, "choices");
  expect_error(openai_to_anthropic_response(json::parse(R"({"choices":[{"index":0}]})"), "id", "m"),
               ErrorCode::upstream_error, "choices[0].message");
  expect_error(openai_to_anthropic_response(json::parse(R"({"error":{"message":"quota"}})"), "id", "m"),
               ErrorCode::upstream_error, "quota");
  expect_error(openai_to_anthropic_response(
                   json::parse(R"({"choices":[{"message":{"tool_calls":[{"id":"c"}]}}]})"), "id", "m"),
               ErrorCode::upstream_error, "tool_calls[0].function");
  ResponseContext ctx{"resp_1", 0, "m"};
  expect_error(chat_to_responses_response(json::parse("null"), {}, ctx), ErrorCode::upstream_error,
               "JSON object");
  expect_error(chat_to_responses_response(json::parse(R"({"choices":"x"})"), {}, ctx),
               ErrorCode::upstream_error, "choices");
}

TEST(MalformedProviderOutput, AnthropicStream) {
  AnthropicToOpenAiStream stream("id", "m", 0);
  expect_error(stream.on_event(SseEvent{"message_start", "not json"}), ErrorCode::upstream_error,
               "not a JSON object");
  expect_error(
      stream.on_event(SseEvent{"content_block_delta", R"({"type":"content_block_delta","index":0})"}),
      ErrorCode::upstream_error, "without delta");
  // Unknown events and deltas on unknown blocks are ignored, not fatal.
  auto ignored = stream.on_event(SseEvent{"", R"({"type":"future_event","x":1})"});
  ASSERT_TRUE(ignored.has_value());
  EXPECT_TRUE(ignored->empty());
  auto stray = stream.on_event(SseEvent{
      "",
      R"({"type":"content_block_delta","index":9,"delta":{"type":"input_json_delta","partial_json":"{"}})"});
  ASSERT_TRUE(stray.has_value());
  EXPECT_TRUE(stray->empty());
  expect_error(
      stream.on_event(SseEvent{
          "error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"}),
      ErrorCode::upstream_error, "Overloaded");
  ASSERT_TRUE(stream.upstream_error_body().has_value());
  EXPECT_EQ(stream.upstream_error_body()->at("error").at("type"), "overloaded_error");
  EXPECT_FALSE(stream.finished());
}

TEST(MalformedProviderOutput, OpenAiStreams) {
  OpenAiToAnthropicStream to_anthropic("msg", "m", 0);
  expect_error(to_anthropic.on_data("{broken"), ErrorCode::upstream_error, "not a JSON object");
  expect_error(to_anthropic.on_data(R"({"choices":[7]})"), ErrorCode::upstream_error, "choices[0]");
  expect_error(to_anthropic.on_data(R"({"error":{"message":"boom"}})"), ErrorCode::upstream_error, "boom");
  ASSERT_TRUE(to_anthropic.upstream_error_body().has_value());
  // Wrong-typed fields inside a chunk are skipped.
  auto odd =
      to_anthropic.on_data(R"({"choices":[{"delta":{"content":5,"tool_calls":"x"},"finish_reason":3}]})");
  ASSERT_TRUE(odd.has_value());

  ChatToResponsesStream to_responses(json::object{}, ResponseContext{"resp_1", 0, "m"});
  expect_error(to_responses.on_data("[1,2]"), ErrorCode::upstream_error, "not a JSON object");
  expect_error(to_responses.on_data(R"({"error":{"message":"late failure"}})"), ErrorCode::upstream_error,
               "late failure");
}

}  // namespace
}  // namespace routerly::formats
