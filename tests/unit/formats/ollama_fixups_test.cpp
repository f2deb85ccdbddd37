#include "formats/ollama_fixups.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::formats {
namespace {

namespace json = boost::json;

TEST(OllamaFixups, ThinkingOnlyReplyMovesToContent) {
  auto body = json::parse(R"({"choices":[{"index":0,"message":{"role":"assistant","content":"","thinking":"42"}}]})")
                  .as_object();
  EXPECT_TRUE(ollama_thinking_as_content(body));
  const auto& message = body["choices"].as_array()[0].as_object().at("message").as_object();
  EXPECT_EQ(message.at("content").as_string(), "42");
  EXPECT_FALSE(message.contains("thinking"));
}

TEST(OllamaFixups, ReplyWithContentIsLeftAlone) {
  auto body =
      json::parse(R"({"choices":[{"message":{"role":"assistant","content":"answer","thinking":"why"}}]})").as_object();
  EXPECT_FALSE(ollama_thinking_as_content(body));
  EXPECT_EQ(body["choices"].as_array()[0].as_object().at("message").as_object().at("thinking").as_string(), "why");
}

TEST(OllamaFixups, NullContentCountsAsEmpty) {
  auto body = json::parse(R"({"choices":[{"message":{"content":null,"thinking":"t"}}]})").as_object();
  EXPECT_TRUE(ollama_thinking_as_content(body));
}

TEST(OllamaFixups, StreamDeltaWithThinkingOnlyBecomesContent) {
  auto chunk = json::parse(R"({"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"thinking":"hm"}}]})")
                   .as_object();
  EXPECT_TRUE(ollama_thinking_delta_as_content(chunk));
  const auto& delta = chunk["choices"].as_array()[0].as_object().at("delta").as_object();
  EXPECT_EQ(delta.at("content").as_string(), "hm");
  EXPECT_FALSE(delta.contains("thinking"));
}

TEST(OllamaFixups, MalformedShapesAreIgnored) {
  auto no_choices = json::parse(R"({"id":"x"})").as_object();
  EXPECT_FALSE(ollama_thinking_as_content(no_choices));
  auto odd = json::parse(R"({"choices":[1,"a",{"delta":5},{"delta":{"thinking":7}}]})").as_object();
  EXPECT_FALSE(ollama_thinking_delta_as_content(odd));
}

}  // namespace
}  // namespace routerly::formats
