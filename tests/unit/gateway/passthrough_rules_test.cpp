#include "gateway/passthrough_rules.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "providers/adapter.hpp"

namespace routerly::gateway {
namespace {
namespace json = boost::json;

Candidate candidate(std::string_view model_json) {
  Candidate c;
  c.target = *providers::make_target(json::parse(model_json).as_object(), "key");
  return c;
}

std::string value_of(const std::vector<http::Header>& headers, std::string_view name) {
  for (const auto& h : headers)
    if (h.name == name) return h.value;
  return "<absent>";
}

TEST(PassthroughRules, ReservedPaths) {
  for (const char* p : {"/", "/health", "/metrics", "/api", "/api/models", "/api/x/y", "/dashboard",
                        "/dashboard/assets/a.js", "/dashboardx"}) {
    EXPECT_TRUE(is_reserved_path(p)) << p;
  }
  for (const char* p : {"/v1/embeddings", "/apix", "/healthz", "/v1/api", "/x/dashboard"}) {
    EXPECT_FALSE(is_reserved_path(p)) << p;
  }
}

TEST(PassthroughRules, ProjectScopedPaths) {
  auto s = split_project_path("/projects/my-app/v1/embeddings");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->slug, "my-app");
  EXPECT_EQ(s->path, "/v1/embeddings");
  EXPECT_EQ(split_project_path("/projects/a%2Db/v1")->slug, "a-b");
  EXPECT_FALSE(split_project_path("/projects/my-app/v2/x").has_value());
  EXPECT_FALSE(split_project_path("/projects//v1/x").has_value());
  EXPECT_FALSE(split_project_path("/projects/my-app").has_value());
  EXPECT_FALSE(split_project_path("/v1/embeddings").has_value());
}

TEST(PassthroughRules, PickModelByIdUpstreamIdOrSuffix) {
  std::vector<Candidate> cs{
      candidate(R"({"id":"openai/gpt-4o","provider":"openai"})"),
      candidate(R"({"id":"openai/embed","provider":"openai","upstreamModelId":"text-embedding-3-small"})"),
      candidate(R"({"id":"ollama/nomic-embed-text","provider":"ollama"})"),
  };
  bool matched = false;
  auto body = [](const char* text) { return json::parse(text).as_object(); };
  json::object by_id = body(R"({"model":"openai/embed"})");
  EXPECT_EQ(pick_passthrough_model(cs, &by_id, matched), &cs[1]);
  EXPECT_TRUE(matched);
  json::object by_upstream = body(R"({"model":"text-embedding-3-small"})");
  EXPECT_EQ(pick_passthrough_model(cs, &by_upstream, matched), &cs[1]);
  json::object by_suffix = body(R"({"model":"nomic-embed-text"})");
  EXPECT_EQ(pick_passthrough_model(cs, &by_suffix, matched), &cs[2]);
  EXPECT_TRUE(matched);
  json::object partial = body(R"({"model":"embed-text"})");  // not a whole segment
  EXPECT_EQ(pick_passthrough_model(cs, &partial, matched), &cs[0]);
  EXPECT_FALSE(matched);
  EXPECT_EQ(pick_passthrough_model(cs, nullptr, matched), &cs[0]);
  EXPECT_FALSE(matched);
  EXPECT_EQ(pick_passthrough_model({}, &by_id, matched), nullptr);
}

TEST(PassthroughRules, ForwardedRequestHeaders) {
  std::vector<http::Header> inbound{{"host", "gw:3000"},
                                    {"content-length", "12"},
                                    {"connection", "keep-alive, x-hop"},
                                    {"x-hop", "1"},
                                    {"authorization", "Bearer sk-rt-secret"},
                                    {"x-api-key", "sk-rt-secret"},
                                    {"accept-encoding", "gzip"},
                                    {"x-routerly-trace", "events"},
                                    {"content-type", "application/json"},
                                    {"accept", "a"},
                                    {"accept", "b"},
                                    {"anthropic-version", "2023-06-01"},
                                    {"transfer-encoding", "chunked"}};
  std::vector<http::Header> adapter{{"authorization", "Bearer upstream-key"}};
  auto out = forward_request_headers(inbound, adapter);
  for (const char* gone : {"host", "content-length", "connection", "x-hop", "x-api-key", "accept-encoding",
                           "x-routerly-trace", "transfer-encoding"}) {
    EXPECT_EQ(value_of(out, gone), "<absent>") << gone;
  }
  EXPECT_EQ(value_of(out, "authorization"), "Bearer upstream-key");
  EXPECT_EQ(value_of(out, "content-type"), "application/json");
  EXPECT_EQ(value_of(out, "accept"), "a, b");
  EXPECT_EQ(value_of(out, "anthropic-version"), "2023-06-01");
  int auth = 0;
  for (const auto& h : out) auth += h.name == "authorization";
  EXPECT_EQ(auth, 1);
}

TEST(PassthroughRules, RelayedResponseHeaders) {
  auto out = relay_response_headers({{"content-type", "application/json"},
                                     {"content-length", "99"},
                                     {"transfer-encoding", "chunked"},
                                     {"connection", "close"},
                                     {"x-request-id", "r1"},
                                     {"x-routerly-trace-id", "spoofed"},
                                     {"retry-after", "3"}});
  EXPECT_EQ(value_of(out, "content-type"), "application/json");
  EXPECT_EQ(value_of(out, "x-request-id"), "r1");
  EXPECT_EQ(value_of(out, "retry-after"), "3");
  for (const char* gone : {"content-length", "transfer-encoding", "connection", "x-routerly-trace-id"}) {
    EXPECT_EQ(value_of(out, gone), "<absent>") << gone;
  }
}

TEST(PromptTokensSniffer, FindsUsageAcrossPieces) {
  std::string body =
      R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2,0.3]}],)"
      R"("model":"text-embedding-3-small","usage":{"prompt_tokens": 1234,"total_tokens":1234}})";
  // Every split point, including inside the key and the number.
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    PromptTokensSniffer s;
    s.feed(body.substr(0, cut));
    s.feed(body.substr(cut));
    s.finish();
    ASSERT_TRUE(s.value().has_value()) << cut;
    EXPECT_EQ(*s.value(), 1234) << cut;
  }
  // Byte by byte.
  PromptTokensSniffer bytes;
  for (char c : body) bytes.feed(std::string_view(&c, 1));
  bytes.finish();
  EXPECT_EQ(bytes.value(), 1234);
}

TEST(PromptTokensSniffer, NumberAtTheVeryEndAndAbsence) {
  PromptTokensSniffer end;
  end.feed(R"({"prompt_tokens":5)");
  EXPECT_FALSE(end.value().has_value());  // might continue
  end.finish();
  EXPECT_EQ(end.value(), 5);
  PromptTokensSniffer none;
  none.feed(R"({"data":[1,2,3],"usage":null,"prompt_tokens_x":"7"})");
  none.finish();
  EXPECT_FALSE(none.value().has_value());
}

TEST(PassthroughRules, EmbeddingsInputChars) {
  auto chars = [](const char* text) { return embeddings_input_chars(json::parse(text).as_object()); };
  EXPECT_EQ(chars(R"({"input":"héllo"})"), 5);
  EXPECT_EQ(chars(R"({"input":["ab","cde"]})"), 5);
  EXPECT_EQ(chars(R"({"input":[1,2,3]})"), 12);
  EXPECT_EQ(chars(R"({"input":[[1,2],[3]]})"), 12);
  EXPECT_EQ(chars(R"({"model":"x"})"), 0);
}

}  // namespace
}  // namespace routerly::gateway
