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
                                     {"set-cookie", "session=upstream; Path=/"},
                                     {"set-cookie", "__cf_bm=x; Domain=.example"},
                                     {"retry-after", "3"}});
  EXPECT_EQ(value_of(out, "content-type"), "application/json");
  EXPECT_EQ(value_of(out, "x-request-id"), "r1");
  EXPECT_EQ(value_of(out, "retry-after"), "3");
  for (const char* gone : {"content-length", "transfer-encoding", "connection", "x-routerly-trace-id", "set-cookie"}) {
    EXPECT_EQ(value_of(out, gone), "<absent>") << gone;
  }
}

TEST(UsageSniffer, FindsUsageAcrossPieces) {
  std::string body =
      R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2,0.3]}],)"
      R"("model":"text-embedding-3-small","usage":{"prompt_tokens": 1234,"total_tokens":1234}})";
  // Every split point, including inside the key and the number.
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    UsageSniffer s;
    s.feed(body.substr(0, cut));
    s.feed(body.substr(cut));
    s.finish();
    ASSERT_TRUE(s.input().has_value()) << cut;
    EXPECT_EQ(*s.input(), 1234) << cut;
    EXPECT_FALSE(s.output().has_value()) << cut;
  }
  // Byte by byte.
  UsageSniffer bytes;
  for (char c : body) bytes.feed(std::string_view(&c, 1));
  bytes.finish();
  EXPECT_EQ(bytes.input(), 1234);
}

TEST(UsageSniffer, NumberAtTheVeryEndAndAbsence) {
  UsageSniffer end;
  end.feed(R"({"prompt_tokens":5)");
  EXPECT_FALSE(end.input().has_value());  // might continue
  end.finish();
  EXPECT_EQ(end.input(), 5);
  UsageSniffer none;
  none.feed(R"({"data":[1,2,3],"usage":null,"prompt_tokens_x":"7"})");
  none.finish();
  EXPECT_FALSE(none.input().has_value());
  EXPECT_FALSE(none.output().has_value());
}

TEST(UsageSniffer, CompletionsImagesAndStreams) {
  UsageSniffer completion;
  completion.feed(R"({"choices":[{"text":"\"prompt_tokens\": 99"}],"usage":{"prompt_tokens":7,)");
  completion.feed(R"("completion_tokens": 11,"total_tokens":18}})");
  completion.finish();
  EXPECT_EQ(completion.input(), 7);  // the escaped key inside the text is no key
  EXPECT_EQ(completion.output(), 11);

  UsageSniffer image;
  image.feed(R"({"data":[{"b64_json":"AAAA"}],"usage":{"input_tokens":50,"input_tokens_details":)");
  image.feed(R"({"text_tokens":10,"image_tokens":40},"output_tokens":4160,"total_tokens":4210}})");
  image.finish();
  EXPECT_EQ(image.input(), 50);
  EXPECT_EQ(image.output(), 4160);

  // A stream: the last usage wins.
  UsageSniffer stream;
  stream.feed("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n");
  stream.feed("data: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9}}\n\ndata: [DONE]\n\n");
  stream.finish();
  EXPECT_EQ(stream.input(), 3);
  EXPECT_EQ(stream.output(), 9);
}

TEST(PassthroughRules, BillableRoutes) {
  auto type = [](std::string_view method, std::string_view path) {
    const BillableRoute* r = billable_route(method, path);
    return r == nullptr ? std::string("-") : std::string(r->type);
  };
  EXPECT_EQ(type("POST", "/v1/completions"), "completions");
  EXPECT_EQ(type("POST", "/v1/embeddings"), "embeddings");
  EXPECT_EQ(type("POST", "/v1/embeddings/"), "embeddings");
  EXPECT_EQ(type("POST", "/v1/images/generations"), "images");
  EXPECT_EQ(type("POST", "/v1/images/edits"), "images");
  EXPECT_EQ(type("POST", "/v1/audio/speech"), "audio");
  EXPECT_EQ(type("POST", "/v1/audio/transcriptions"), "audio");
  EXPECT_EQ(type("POST", "/v1/moderations"), "moderations");
  EXPECT_EQ(type("GET", "/v1/completions"), "-");
  EXPECT_EQ(type("GET", "/v1/images/generations"), "-");
  for (std::string_view path : {"/v1/images", "/v1/images/", "/v1/audio", "/v1/files", "/v1/chat/completions",
                                "/v1/completionsx", "/v2/embeddings", "/v1/embeddings/x"})
    EXPECT_EQ(type("POST", path), "-") << path;
}

TEST(PassthroughRules, InputChars) {
  auto chars = [](const char* text, std::string_view field = "input") {
    return input_chars(json::parse(text).as_object(), field);
  };
  EXPECT_EQ(chars(R"({"input":"héllo"})"), 5);
  EXPECT_EQ(chars(R"({"input":["ab","cde"]})"), 5);
  EXPECT_EQ(chars(R"({"input":[1,2,3]})"), 12);
  EXPECT_EQ(chars(R"({"input":[[1,2],[3]]})"), 12);
  EXPECT_EQ(chars(R"({"model":"x"})"), 0);
  EXPECT_EQ(chars(R"({"prompt":"four"})", "prompt"), 4);
  EXPECT_EQ(chars(R"({"input":[{"type":"text","text":"abc"},{"type":"image_url","image_url":{"url":"x"}}]})"), 3);
}

TEST(PassthroughRules, ProxyPaths) {
  for (std::string_view path : {"/v1", "/v1/", "/v1/chat/completions", "/v1/files/x", "/projects/acme/v1",
                                "/projects/acme/v1/embeddings"})
    EXPECT_TRUE(is_proxy_path(path)) << path;
  for (std::string_view path : {"/", "/v10", "/v1x/y", "/api/models", "/projects/acme", "/projects/acme/v2/x",
                                "/health", "/dashboard/v1/"})
    EXPECT_FALSE(is_proxy_path(path)) << path;
}

}  // namespace
}  // namespace routerly::gateway
