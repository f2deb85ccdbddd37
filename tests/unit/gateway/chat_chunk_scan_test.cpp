#include "gateway/chat_chunk_scan.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gateway/client_stream.hpp"

namespace routerly::gateway {
namespace {

namespace json = boost::json;

// The parsed-document answers the scan must agree with.
bool finish_in(const json::object& chunk) {
  const json::value* choices = chunk.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return false;
  for (const auto& c : choices->get_array())
    if (const json::object* co = c.if_object())
      if (const json::value* f = co->if_contains("finish_reason"); f && f->is_string()) return true;
  return false;
}

TEST(ChatChunkScan, AgreesWithTheParsedChunkOnPlainChunks) {
  const char* chunks[] = {
      R"({"id":"c1","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"content":" from"},"logprobs":null,"finish_reason":null}],"usage":null})",
      R"({"id":"c1","choices":[{"index":0,"delta":{"content":"h\u00e9\"llo","reasoning_content":"abc","thinking":"xy"},"finish_reason":null}]})",
      R"({"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})",
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"name":"get_weather","arguments":"{\"city\":"}},{"function":{"arguments":"\"Paris\"}"}}]}}]})",
      R"({"choices":[{"delta":{"content":["not","a","string"],"role":"assistant"},"finish_reason":7},"text",[1,2]]})",
      R"({"choices":{"delta":{"content":"choices is not an array"}},"other":{"choices":[{"delta":{"content":"nested"}}]}})",
      R"({"choices":[{"delta":"not an object","finish_reason":"length"}]})",
      R"({"choices":[{"delta":{"tool_calls":{"function":{"arguments":"not in an array"}}}}]})",
      R"({"choices":[],"usage":null})",
      R"( {"choices":[{"delta":{"content":"spaces around"}}]} )",
  };
  for (const char* text : chunks) {
    ChunkScan scan = scan_chat_chunk(text);
    json::object parsed = json::parse(text).as_object();
    ASSERT_TRUE(scan.plain) << text;
    EXPECT_EQ(scan.text_chars, chunk_text_chars(parsed)) << text;
    EXPECT_EQ(scan.saw_finish, finish_in(parsed)) << text;
  }
}

TEST(ChatChunkScan, ChunksThatNeedTheParsedDocument) {
  const char* chunks[] = {
      R"({"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":1}})",  // usage
      R"({"error":{"message":"overloaded"}})",                                 // error
      R"({"choices":[{"delta":{"content":"x"}}],"error":"also"})",             // error key, any value
      R"({"error":null,"choices":[]})",
      R"(["not","an","object"])",
      R"("text")",
      R"(42)",
      R"({"choices":[{"delta":{"content":"cut)",  // malformed
      R"({"choices":[]} trailing)",
      "",
  };
  for (const char* text : chunks) EXPECT_FALSE(scan_chat_chunk(text).plain) << text;
}

}  // namespace
}  // namespace routerly::gateway
