#include "gateway/local_token_count.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "gateway/tokenizer_data.hpp"

namespace routerly::gateway {
namespace {
namespace json = boost::json;

const formats::Tokenizer& tokenizer() {
  // The test binary sits in <build>/tests/; the data in <build>/data/.
  static const formats::Tokenizer* t = [] {
    if (std::getenv("ROUTERLY_TOKENIZER_DATA") == nullptr) {
      auto data = std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() / "data" /
                  "o200k_base.tiktoken";
      setenv("ROUTERLY_TOKENIZER_DATA", data.c_str(), 1);
    }
    return o200k_tokenizer();
  }();
  if (t == nullptr) throw std::runtime_error("tokenizer data missing (build target tokenizer_data)");
  return *t;
}

TokenCount count(const char* body, const formats::Tokenizer* t) {
  auto r = count_message_tokens(json::parse(body).as_object(), t);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : TokenCount{};
}

TEST(LocalTokenCount, SystemMessagesAndFraming) {
  const auto& t = tokenizer();
  // "hello world" is 2 o200k tokens, "Be brief." 3 (js-tiktoken).
  TokenCount c = count(R"({"system":"Be brief.","messages":[{"role":"user","content":"hello world"}]})", &t);
  EXPECT_FALSE(c.estimated);
  EXPECT_EQ(c.input_tokens, 3 + 2 + kTokensPerMessage + kReplyPrimingTokens);
  EXPECT_EQ(t.count("Be brief."), 3u);
}

TEST(LocalTokenCount, BlocksToolsAndToolResults) {
  const auto& t = tokenizer();
  const char* body = R"({
    "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
    "messages":[
      {"role":"user","content":[{"type":"text","text":"hello world"},
                                {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
      {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"get_weather","input":{"city":"Rome"}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"sunny"}]}]}
    ],
    "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object"}}]})";
  auto parsed = json::parse(body).as_object();
  int64_t expected = static_cast<int64_t>(
      t.count("Be brief.") + t.count("hello world") + t.count("get_weather") + t.count(R"({"city":"Rome"})") +
      t.count("sunny") + t.count(json::serialize(parsed.at("tools").as_array()[0])));
  expected += 3 * kTokensPerMessage + kReplyPrimingTokens;
  EXPECT_EQ(count(body, &t).input_tokens, expected);
}

TEST(LocalTokenCount, EstimateWithoutTokenizerIsFlagged) {
  // "Be brief." (9) + "héllo" (5 code points) = 14 → ceil(14/4) = 4.
  TokenCount c = count(R"({"system":"Be brief.","messages":[{"role":"user","content":"héllo"}]})", nullptr);
  EXPECT_TRUE(c.estimated);
  EXPECT_EQ(c.input_tokens, 4);
}

TEST(LocalTokenCount, MessagesMustBeAnArray) {
  for (const char* body : {R"({})", R"({"messages":"hi"})"}) {
    auto r = count_message_tokens(json::parse(body).as_object(), nullptr);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::validation_error);
    EXPECT_TRUE(r.error().message.starts_with("messages")) << r.error().message;
  }
  auto bad_item = count_message_tokens(json::parse(R"({"messages":[1]})").as_object(), nullptr);
  ASSERT_FALSE(bad_item.has_value());
  EXPECT_TRUE(bad_item.error().message.starts_with("messages[0]"));
}

}  // namespace
}  // namespace routerly::gateway
