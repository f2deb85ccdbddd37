#include "gateway/upstream_plan.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "gateway/replies.hpp"
#include "gateway/response_translation.hpp"

namespace routerly::gateway {
namespace {

namespace json = boost::json;

struct Plan : ::testing::Test {
  std::shared_ptr<const Runtime> rt = testing::demo_runtime();
  const providers::Target& openai() const { return rt->project("p1")->candidates[0].target; }
  const providers::Target& anthropic() const { return rt->project("p1")->candidates[1].target; }
  static Call make(Api api, std::string_view body, bool stream) {
    Call call;
    call.api = api;
    call.body = json::parse(body).as_object();
    call.stream = stream;
    return call;
  }
  static json::object body_of(const UpstreamPlan& plan) { return json::parse(plan.request.body).as_object(); }
};

TEST_F(Plan, ModesFollowClientApiAndUpstreamWire) {
  EXPECT_EQ(mode_for(Api::chat, openai()), Mode::chat_native);
  EXPECT_EQ(mode_for(Api::chat, anthropic()), Mode::chat_via_anthropic);
  EXPECT_EQ(mode_for(Api::messages, anthropic()), Mode::messages_native);
  EXPECT_EQ(mode_for(Api::messages, openai()), Mode::messages_via_openai);
  EXPECT_EQ(mode_for(Api::responses, openai()), Mode::responses_native);
  EXPECT_EQ(mode_for(Api::responses, anthropic()), Mode::responses_via_anthropic);
}

TEST_F(Plan, NativeChatRewritesOnlyModelAndStreamUsage) {
  Call call = make(Api::chat, R"({"model":"whatever","messages":[{"role":"user","content":"hi"}],"seed":7})", true);
  auto plan = plan_upstream(call, openai(), std::chrono::milliseconds(5000));
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->request.url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_EQ(plan->request.headers_timeout.count(), 5000);
  json::object body = body_of(*plan);
  EXPECT_EQ(body.at("model"), "gpt-4o");
  EXPECT_EQ(body.at("seed"), 7);
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("stream_options").at("include_usage"), true);
}

TEST_F(Plan, NativeMessagesKeepsEveryFieldAndTheBetaHeader) {
  Call call = make(Api::messages,
                   R"({"model":"x","max_tokens":10,"top_k":3,"messages":[{"role":"user","content":"hi"}]})", false);
  call.anthropic_beta = "prompt-caching-2024-07-31";
  auto plan = plan_upstream(call, anthropic(), std::chrono::milliseconds(1000));
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->request.url, "http://127.0.0.1:9/v1/messages");
  json::object body = body_of(*plan);
  EXPECT_EQ(body.at("model"), "claude");
  EXPECT_EQ(body.at("top_k"), 3);
  bool beta = false, key = false;
  for (const auto& h : plan->request.headers) {
    beta |= h.name == "anthropic-beta" && h.value == "prompt-caching-2024-07-31";
    key |= h.name == "x-api-key" && h.value == "secret-key";
  }
  EXPECT_TRUE(beta);
  EXPECT_TRUE(key);
}

TEST_F(Plan, ChatToAnthropicIsTranslated) {
  Call call = make(Api::chat, R"({"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]})",
                   true);
  auto plan = plan_upstream(call, anthropic(), std::chrono::milliseconds(1000));
  ASSERT_TRUE(plan);
  json::object body = body_of(*plan);
  EXPECT_EQ(body.at("system"), "be brief");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("model"), "claude");
  EXPECT_TRUE(body.contains("max_tokens"));
}

TEST_F(Plan, NativeResponsesInlinesStoredHistory) {
  Call call = make(Api::responses, R"({"input":"and then?","previous_response_id":"resp_1"})", false);
  call.history = json::parse(R"([{"type":"message","role":"user","content":"first"}])").as_array();
  auto plan = plan_upstream(call, openai(), std::chrono::milliseconds(1000));
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->request.url, "http://127.0.0.1:9/v1/responses");
  json::object body = body_of(*plan);
  EXPECT_FALSE(body.contains("previous_response_id"));
  ASSERT_EQ(body.at("input").as_array().size(), 2u);
  EXPECT_EQ(body.at("input").as_array()[0].at("content"), "first");
}

TEST_F(Plan, UpstreamErrorsAreRelayedInTheClientsFormat) {
  std::string anthropic_error = R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})";
  auto same = relayed_upstream_error(Api::messages, Mode::messages_native, 400, anthropic_error, "t");
  EXPECT_EQ(same.status, 400u);
  EXPECT_EQ(same.body, anthropic_error);
  EXPECT_EQ(same.header("x-routerly-trace-id"), "t");
  auto converted = relayed_upstream_error(Api::chat, Mode::chat_via_anthropic, 400, anthropic_error, "t");
  json::value body = json::parse(converted.body);
  EXPECT_EQ(body.at("error").at("message"), "bad");
  EXPECT_EQ(body.at("error").at("type"), "invalid_request_error");
}

TEST_F(Plan, GatewayErrorsUseTheEnvelopeOnEveryRoute) {
  Error error{ErrorCode::no_model_available, "All candidate models failed"};
  for (Api api : {Api::chat, Api::messages, Api::responses}) {
    auto reply = client_error(api, error, "t");
    EXPECT_EQ(reply.status, 503u);
    EXPECT_EQ(reply.header("x-routerly-trace-id"), "t");
    EXPECT_EQ(json::parse(reply.body),
              (json::object{{"error", "no_model_available"}, {"message", "All candidate models failed"}}));
  }
}

TEST_F(Plan, NonStreamTranslationAndMalformedBodies) {
  Call call = make(Api::chat, R"({"messages":[{"role":"user","content":"hi"}]})", false);
  std::string message =
      R"({"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"hello"}],)"
      R"("stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}})";
  auto translated = translate_response(Mode::chat_via_anthropic, call, anthropic(), message);
  ASSERT_TRUE(translated) << translated.error().message;
  json::value body = json::parse(translated->body);
  EXPECT_EQ(body.at("choices").at(0).at("message").at("content"), "hello");
  ASSERT_TRUE(translated->usage);
  EXPECT_EQ(translated->usage->input, 3);
  EXPECT_EQ(translated->usage->output, 2);

  auto broken = translate_response(Mode::chat_native, call, openai(), "{not json");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::upstream_error);
}
}  // namespace
}  // namespace routerly::gateway
