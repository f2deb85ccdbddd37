#include "routing/features.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::routing {
namespace {

namespace json = boost::json;

json::object parse(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(Features, ChatRequest) {
  auto req = parse(R"({"model":"auto","messages":[
    {"role":"system","content":"be brief"},
    {"role":"user","content":"hello"},
    {"role":"assistant","content":"hi"},
    {"role":"user","content":[{"type":"text","text":"what is"},{"type":"image_url","image_url":{"url":"data:x"}},{"type":"text","text":" this"}]}],
    "tools":[{"type":"function","function":{"name":"f"}}],
    "response_format":{"type":"json_object"}})");
  RequestFeatures f = extract_features(req);
  EXPECT_EQ(f.model, "auto");
  EXPECT_EQ(f.message_count, 4u);
  EXPECT_EQ(f.chars, 8 + 5 + 2 + 7 + 5);
  EXPECT_TRUE(f.needs_vision);
  EXPECT_TRUE(f.needs_tools);
  EXPECT_TRUE(f.needs_json);
  EXPECT_EQ(f.last_user_string, "hello");
  EXPECT_EQ(f.all_string_text, "be brief hello hi");
  EXPECT_EQ(f.system_text, "be brief");
  EXPECT_EQ(
      f.last_user_message,
      R"([{"type":"text","text":"what is"},{"type":"image_url","image_url":{"url":"data:x"}},{"type":"text","text":" this"}])");
}

TEST(Features, EmptyToolsAndOtherFormatsNeedNothing) {
  auto req = parse(R"({"messages":[{"role":"user","content":"x"}],"tools":[],"functions":[],
                       "response_format":{"type":"json_schema"}})");
  RequestFeatures f = extract_features(req);
  EXPECT_FALSE(f.needs_tools);
  EXPECT_FALSE(f.needs_json);
  EXPECT_FALSE(f.needs_vision);
  EXPECT_FALSE(f.system_text.has_value());
  EXPECT_EQ(f.last_user_message, "x");
  EXPECT_TRUE(extract_features(parse(R"({"functions":[{"name":"f"}]})")).needs_tools);
}

TEST(Features, AnthropicMessagesView) {
  auto req = parse(R"({"model":"claude","max_tokens":100,
    "system":[{"type":"text","text":"sys one"},{"type":"text","text":"sys two"}],
    "messages":[{"role":"user","content":[{"type":"text","text":"look"},
      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
      {"role":"assistant","content":"ok"},
      {"role":"user","content":"next"}],
    "tools":[{"name":"t","input_schema":{}}]})");
  json::object view = openai_view_of_messages(req);
  EXPECT_EQ(view.at("model").as_string(), "claude");
  EXPECT_EQ(view.at("max_tokens").as_int64(), 100);
  RequestFeatures f = extract_features(view);
  EXPECT_EQ(f.message_count, 4u);
  EXPECT_EQ(f.system_text, "sys one\nsys two");
  EXPECT_TRUE(f.needs_vision);
  EXPECT_TRUE(f.needs_tools);
  EXPECT_EQ(f.last_user_string, "next");
  EXPECT_EQ(f.chars, 15 + 4 + 2 + 4);
}

TEST(Features, ResponsesView) {
  auto req = parse(R"({"model":"gpt","instructions":"sys","input":[
      {"role":"developer","content":"dev"},
      {"type":"message","role":"user","content":[{"type":"input_text","text":"hey"},{"type":"input_image","image_url":"u"}]}],
    "text":{"format":{"type":"json_object"}},"max_output_tokens":50})");
  json::array history = json::parse(R"([{"role":"user","content":"earlier"}])").as_array();
  json::object view = openai_view_of_responses(req, &history);
  RequestFeatures f = extract_features(view);
  EXPECT_EQ(f.message_count, 4u);
  EXPECT_EQ(f.system_text, "sys");
  EXPECT_TRUE(f.needs_vision);
  EXPECT_TRUE(f.needs_json);
  EXPECT_EQ(f.last_user_string, "earlier");
  EXPECT_EQ(view.at("max_tokens").as_int64(), 50);
  EXPECT_EQ(view.at("messages").as_array()[1].as_object().at("role").as_string(), "user");
  EXPECT_EQ(view.at("messages").as_array()[2].as_object().at("role").as_string(), "system");
}

TEST(Features, ResponsesStringInput) {
  json::object view = openai_view_of_responses(parse(R"({"model":"gpt","input":"just text"})"));
  RequestFeatures f = extract_features(view);
  EXPECT_EQ(f.last_user_string, "just text");
  EXPECT_EQ(f.chars, 9);
}

}  // namespace
}  // namespace routerly::routing
