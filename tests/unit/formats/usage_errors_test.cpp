#include "formats/errors.hpp"
#include "formats/stop_reasons.hpp"
#include "formats/usage.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::formats {
namespace {

namespace json = boost::json;

TEST(Usage, OpenAiFields) {
  auto u = openai_usage_in(json::parse(
      R"({"usage":{"prompt_tokens":100,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":60,"cache_creation_tokens":5}}})"));
  ASSERT_TRUE(u);
  EXPECT_EQ(*u, (TokenUsage{100, 7, 60, 5}));
  EXPECT_FALSE(openai_usage_in(json::parse(R"({"usage":null})")));
  EXPECT_FALSE(openai_usage_in(json::parse("[1]")));
}

TEST(Usage, AnthropicInputIncludesCacheTokens) {
  auto u = anthropic_usage_in(json::parse(
      R"({"usage":{"input_tokens":5,"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"output_tokens":9}})"));
  ASSERT_TRUE(u);
  EXPECT_EQ(*u, (TokenUsage{125, 9, 100, 20}));
  EXPECT_EQ(
      anthropic_usage_json(*u),
      json::parse(
          R"({"input_tokens":5,"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"output_tokens":9})"));
}

TEST(Usage, WrongTypesReadAsZero) {
  auto u = usage_from_openai(json::parse(R"({"prompt_tokens":"12","completion_tokens":3.0})").as_object());
  EXPECT_EQ(u, (TokenUsage{0, 3, 0, 0}));
}

TEST(Usage, NativeAnthropicStreamAccumulates) {
  TokenUsage u;
  accumulate_anthropic_stream_usage(
      u,
      json::parse(
          R"({"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":4,"output_tokens":1}}})"));
  EXPECT_EQ(u, (TokenUsage{14, 1, 4, 0}));
  accumulate_anthropic_stream_usage(u, json::parse(R"({"type":"content_block_delta","index":0})"));
  accumulate_anthropic_stream_usage(u,
                                    json::parse(R"({"type":"message_delta","usage":{"output_tokens":30}})"));
  EXPECT_EQ(u, (TokenUsage{14, 30, 4, 0}));
}

TEST(Usage, OpenAiJsonOmitsZeroDetails) {
  EXPECT_EQ(openai_usage_json(TokenUsage{10, 5, 0, 0}),
            json::parse(R"({"prompt_tokens":10,"completion_tokens":5,"total_tokens":15})"));
  EXPECT_EQ(
      openai_usage_json(TokenUsage{10, 5, 3, 0}),
      json::parse(
          R"({"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":3}})"));
}

TEST(StopReasons, BothDirections) {
  EXPECT_EQ(openai_finish_reason("end_turn"), "stop");
  EXPECT_EQ(openai_finish_reason("stop_sequence"), "stop");
  EXPECT_EQ(openai_finish_reason("max_tokens"), "length");
  EXPECT_EQ(openai_finish_reason("tool_use"), "tool_calls");
  EXPECT_EQ(openai_finish_reason("refusal"), "content_filter");
  EXPECT_EQ(anthropic_stop_reason("stop"), "end_turn");
  EXPECT_EQ(anthropic_stop_reason("length"), "max_tokens");
  EXPECT_EQ(anthropic_stop_reason("tool_calls"), "tool_use");
  EXPECT_EQ(anthropic_stop_reason("function_call"), "tool_use");
}

TEST(ErrorBodies, GatewayErrorsInClientFormats) {
  Error e{ErrorCode::upstream_timeout, "upstream did not answer within 30000 ms"};
  EXPECT_EQ(openai_error_body(e),
            json::parse(R"({"error":{"message":"upstream did not answer within 30000 ms",
      "type":"server_error","param":null,"code":"upstream_timeout"}})"));
  EXPECT_EQ(anthropic_error_body(e), json::parse(R"({"type":"error","error":{"type":"timeout_error",
      "message":"upstream did not answer within 30000 ms"}})"));
  EXPECT_EQ(openai_error_type(ErrorCode::validation_error), "invalid_request_error");
  EXPECT_EQ(openai_error_type(ErrorCode::unauthorized), "authentication_error");
  EXPECT_EQ(openai_error_type(ErrorCode::rate_limited), "rate_limit_error");
  EXPECT_EQ(anthropic_error_type(ErrorCode::not_found), "not_found_error");
  EXPECT_EQ(anthropic_error_type(ErrorCode::no_model_available), "overloaded_error");
  EXPECT_EQ(anthropic_error_type(ErrorCode::internal_error), "api_error");
}

TEST(ErrorBodies, AnthropicUpstreamErrorToOpenAi) {
  auto body = anthropic_error_to_openai(
      529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  EXPECT_EQ(
      body,
      json::parse(
          R"({"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded_error"}})"));
  auto auth = anthropic_error_to_openai(
      401, R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})");
  EXPECT_EQ(auth.at("error").at("type"), "authentication_error");
  // Not JSON at all: the status decides, the text is the message.
  auto text = anthropic_error_to_openai(502, "  Bad Gateway\n");
  EXPECT_EQ(
      text,
      json::parse(R"({"error":{"message":"Bad Gateway","type":"server_error","param":null,"code":null}})"));
}

TEST(ErrorBodies, OpenAiUpstreamErrorToAnthropic) {
  auto body = openai_error_to_anthropic(
      429,
      R"({"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}})");
  EXPECT_EQ(
      body,
      json::parse(R"({"type":"error","error":{"type":"rate_limit_error","message":"Rate limit reached"}})"));
  EXPECT_EQ(openai_error_to_anthropic(400, R"({"error":"bad model"})").at("error").at("type"),
            "invalid_request_error");
  EXPECT_EQ(openai_error_to_anthropic(404, "{}").at("error").at("message"), "HTTP 404");
  EXPECT_EQ(openai_error_to_anthropic(503, "").at("error").at("type"), "overloaded_error");
  EXPECT_EQ(openai_error_to_anthropic(500, "").at("error").at("type"), "api_error");
}

TEST(ErrorBodies, UpstreamMessageShapes) {
  EXPECT_EQ(upstream_error_message(
                400, R"([{"error":{"code":400,"message":"Gemini says no","status":"INVALID_ARGUMENT"}}])"),
            "Gemini says no");
  EXPECT_EQ(upstream_error_message(500, R"({"message":"top-level"})"), "top-level");
  EXPECT_EQ(upstream_error_message(500, std::string(5000, 'x')).size(), 1000u);
  EXPECT_EQ(upstream_error_message(500, "   "), "HTTP 500");
}

}  // namespace
}  // namespace routerly::formats
