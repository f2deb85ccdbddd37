#include "providers/adapter.hpp"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace routerly::providers {
namespace {
namespace json = boost::json;

json::object doc(std::string_view text) {
  return json::parse(text).as_object();
}

Target target_of(std::string_view model_json, std::string key = "k-123") {
  auto t = make_target(doc(model_json), std::move(key));
  EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
  return t ? *t : Target{};
}

std::string header(const Call& call, std::string_view name) {
  std::string out;
  int seen = 0;
  for (const auto& h : call.headers) {
    if (h.name == name) {
      out = h.value;
      ++seen;
    }
  }
  EXPECT_LE(seen, 1) << "duplicate header " << name;
  return out;
}

bool has_header(const Call& call, std::string_view name) {
  for (const auto& h : call.headers)
    if (h.name == name) return true;
  return false;
}

TEST(AdapterOpenai, DefaultsAndBearer) {
  Target t = target_of(R"({"id":"openai/gpt-4o","provider":"openai"})");
  EXPECT_EQ(t.wire, Wire::openai);
  EXPECT_EQ(t.endpoint, "https://api.openai.com/v1");
  EXPECT_EQ(t.upstream_model, "gpt-4o");
  EXPECT_FALSE(t.timeout.has_value());
  EXPECT_TRUE(t.enabled);
  Call c = generation_call(t);
  EXPECT_EQ(c.url, "https://api.openai.com/v1/chat/completions");
  EXPECT_EQ(header(c, "authorization"), "Bearer k-123");
  EXPECT_EQ(header(c, "content-type"), "application/json");
  EXPECT_FALSE(has_header(c, "x-api-key"));
  EXPECT_EQ(responses_call(t).url, "https://api.openai.com/v1/responses");
}

TEST(AdapterOpenai, NoKeySendsNoAuthorization) {
  Target t = target_of(R"({"id":"gpt-4o","provider":"openai"})", "");
  EXPECT_EQ(t.upstream_model, "gpt-4o");  // no '/': id as-is
  EXPECT_FALSE(has_header(generation_call(t), "authorization"));
}

TEST(AdapterOpenai, EndpointTrailingSlashAndUpstreamIdOverride) {
  Target t = target_of(
      R"({"id":"openai/fast","provider":"openai","endpoint":"http://127.0.0.1:9000/v1//",
          "upstreamModelId":"gpt-4o-mini","timeout":1500,"enabled":false,
          "capabilities":{"thinking":true}})");
  EXPECT_EQ(t.endpoint, "http://127.0.0.1:9000/v1");
  EXPECT_EQ(t.upstream_model, "gpt-4o-mini");
  ASSERT_TRUE(t.timeout.has_value());
  EXPECT_EQ(t.timeout->count(), 1500);
  EXPECT_FALSE(t.enabled);
  EXPECT_TRUE(t.thinking);
  EXPECT_EQ(generation_call(t).url, "http://127.0.0.1:9000/v1/chat/completions");
}

TEST(AdapterOpenai, StripsOnlyUpToFirstSlash) {
  Target t = target_of(R"({"id":"together/meta-llama/Llama-3.3-70B","provider":"together"})");
  EXPECT_EQ(t.upstream_model, "meta-llama/Llama-3.3-70B");
  EXPECT_EQ(t.endpoint, "https://api.together.xyz/v1");
}

TEST(AdapterAnthropic, ApiKeyAndVersion) {
  Target t = target_of(R"({"id":"anthropic/claude-haiku-4-5","provider":"anthropic"})");
  EXPECT_EQ(t.wire, Wire::anthropic);
  EXPECT_EQ(t.upstream_model, "claude-haiku-4-5");
  Call c = generation_call(t);
  EXPECT_EQ(c.url, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(header(c, "x-api-key"), "k-123");
  EXPECT_EQ(header(c, "anthropic-version"), "2023-06-01");
  EXPECT_FALSE(has_header(c, "authorization"));
  EXPECT_EQ(count_tokens_call(t).url, "https://api.anthropic.com/v1/messages/count_tokens");
  EXPECT_EQ(header(count_tokens_call(t), "x-api-key"), "k-123");
}

TEST(AdapterAnthropic, EndpointWithV1IsNotDoubled) {
  Target t = target_of(R"({"id":"a/c","provider":"anthropic","endpoint":"http://localhost:8080/v1/"})");
  EXPECT_EQ(generation_call(t).url, "http://localhost:8080/v1/messages");
  EXPECT_EQ(count_tokens_call(t).url, "http://localhost:8080/v1/messages/count_tokens");
}

TEST(AdapterAnthropicOauth, BearerAndBetaHeaders) {
  Target t = target_of(R"({"id":"anthropic-oauth/claude-sonnet-4-6","provider":"anthropic-oauth"})", "oat-1");
  EXPECT_EQ(t.wire, Wire::anthropic);
  Call c = generation_call(t);
  EXPECT_EQ(c.url, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(header(c, "authorization"), "Bearer oat-1");
  EXPECT_EQ(header(c, "anthropic-beta"), "oauth-2025-04-20");
  EXPECT_EQ(header(c, "anthropic-dangerous-direct-browser-access"), "true");
  EXPECT_EQ(header(c, "anthropic-version"), "2023-06-01");
  EXPECT_FALSE(has_header(c, "x-api-key"));
}

TEST(AdapterGemini, CatalogueEndpointAndStrippedId) {
  Target t = target_of(R"({"id":"gemini/gemini-2.5-flash","provider":"gemini"})");
  EXPECT_EQ(t.endpoint, "https://generativelanguage.googleapis.com/v1beta/openai");
  EXPECT_EQ(t.upstream_model, "gemini-2.5-flash");  // D3
  EXPECT_EQ(generation_call(t).url,
            "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions");
  EXPECT_EQ(header(generation_call(t), "authorization"), "Bearer k-123");
}

TEST(AdapterOllama, BearerOllamaWithoutKey) {
  Target t = target_of(R"({"id":"ollama/llama3.2","provider":"ollama"})", "");
  EXPECT_EQ(generation_call(t).url, "http://localhost:11434/v1/chat/completions");
  EXPECT_EQ(header(generation_call(t), "authorization"), "Bearer ollama");
}

TEST(AdapterCustom, EndpointRequired) {
  auto t = make_target(doc(R"({"id":"custom/x","provider":"custom"})"), "");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::validation_error);
  EXPECT_NE(t.error().message.find("has no endpoint configured"), std::string::npos);
  EXPECT_NE(t.error().message.find("custom/x"), std::string::npos);
}

TEST(AdapterCustom, BearerKeyOrCustom) {
  Target keyed =
      target_of(R"({"id":"custom/m","provider":"custom","endpoint":"https://llm.example/api/v1"})");
  EXPECT_EQ(generation_call(keyed).url, "https://llm.example/api/v1/chat/completions");
  EXPECT_EQ(header(generation_call(keyed), "authorization"), "Bearer k-123");
  Target bare =
      target_of(R"({"id":"custom/m","provider":"custom","endpoint":"https://llm.example/api/v1"})", "");
  EXPECT_EQ(header(generation_call(bare), "authorization"), "Bearer custom");
}

TEST(AdapterCompatible, CatalogueEndpointsLikeCustom) {
  struct Case {
    const char* provider;
    const char* url;
  };
  for (const Case& c : {Case{"mistral", "https://api.mistral.ai/v1/chat/completions"},
                        Case{"cohere", "https://api.cohere.com/v2/chat/completions"},
                        Case{"xai", "https://api.x.ai/v1/chat/completions"},
                        Case{"deepseek", "https://api.deepseek.com/v1/chat/completions"},
                        Case{"groq", "https://api.groq.com/openai/v1/chat/completions"},
                        Case{"together", "https://api.together.xyz/v1/chat/completions"},
                        Case{"perplexity", "https://api.perplexity.ai/chat/completions"}}) {
    std::string model = std::string(R"({"id":")") + c.provider + R"(/m1","provider":")" + c.provider + "\"}";
    Target t = target_of(model, "");
    EXPECT_EQ(t.wire, Wire::openai) << c.provider;
    EXPECT_EQ(t.upstream_model, "m1") << c.provider;
    EXPECT_EQ(generation_call(t).url, c.url) << c.provider;
    EXPECT_EQ(header(generation_call(t), "authorization"), "Bearer custom") << c.provider;
  }
  // An explicit endpoint overrides the catalogue one.
  Target t = target_of(R"({"id":"groq/m","provider":"groq","endpoint":"http://proxy.local/groq/v1"})");
  EXPECT_EQ(generation_call(t).url, "http://proxy.local/groq/v1/chat/completions");
}

TEST(AdapterErrors, UnknownAndUnsupportedProviders) {
  for (const char* p : {"azure", "openai-oauth", "openai-web", "anthropic-web", ""}) {
    auto t = make_target(doc(std::string(R"({"id":"x/y","provider":")") + p + "\"}"), "");
    ASSERT_FALSE(t.has_value()) << p;
    EXPECT_EQ(t.error().code, ErrorCode::validation_error);
    EXPECT_TRUE(t.error().message.starts_with("provider")) << t.error().message;
  }
  auto bad = make_target(doc(R"({"id":"x","provider":"openai","endpoint":"ftp://host/v1"})"), "");
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(bad.error().message.starts_with("endpoint")) << bad.error().message;
}

std::string url_of(const Target& t, std::string_view path, std::string_view query = {}) {
  auto c = passthrough_call(t, path, query);
  EXPECT_TRUE(c.has_value()) << path << ": " << (c ? "" : c.error().message);
  return c ? c->url : std::string();
}

TEST(AdapterPassthrough, OriginPlusPathForV1Endpoints) {
  Target openai = target_of(R"({"id":"openai/text-embedding-3-small","provider":"openai"})");
  auto c = passthrough_call(openai, "/v1/embeddings", "x=1");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->url, "https://api.openai.com/v1/embeddings?x=1");
  EXPECT_EQ(header(*c, "authorization"), "Bearer k-123");
  EXPECT_FALSE(has_header(*c, "content-type"));  // the client's own content-type is relayed

  // Paths outside /v1 keep the origin rule.
  EXPECT_EQ(url_of(openai, "/files/x"), "https://api.openai.com/files/x");

  Target anthropic = target_of(R"({"id":"anthropic/c","provider":"anthropic"})");
  auto a = passthrough_call(anthropic, "/v1/models", "limit=2");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->url, "https://api.anthropic.com/v1/models?limit=2");
  EXPECT_EQ(header(*a, "x-api-key"), "k-123");
  EXPECT_FALSE(has_header(*a, "authorization"));
  EXPECT_FALSE(has_header(*a, "anthropic-version"));  // the client's version is relayed

  Target ollama =
      target_of(R"({"id":"ollama/x","provider":"ollama","endpoint":"http://127.0.0.1:5555/v1"})", "");
  EXPECT_EQ(url_of(ollama, "/v1/embeddings"), "http://127.0.0.1:5555/v1/embeddings");
  EXPECT_EQ(header(*passthrough_call(ollama, "/v1/embeddings"), "authorization"), "Bearer ollama");
}

TEST(AdapterPassthrough, EndpointPathReplacesV1) {
  Target gemini = target_of(R"({"id":"gemini/text-embedding-004","provider":"gemini"})");
  EXPECT_EQ(url_of(gemini, "/v1/embeddings"), "https://generativelanguage.googleapis.com/v1beta/openai/embeddings");
  Target groq = target_of(R"({"id":"groq/x","provider":"groq"})");
  EXPECT_EQ(url_of(groq, "/v1/models"), "https://api.groq.com/openai/v1/models");
  Target bare = target_of(R"({"id":"custom/x","provider":"custom","endpoint":"http://h:1"})");
  EXPECT_EQ(url_of(bare, "/v1/embeddings"), "http://h:1/v1/embeddings");
  EXPECT_EQ(url_of(bare, "/v1/files/"), "http://h:1/v1/files/");
  EXPECT_EQ(url_of(bare, "/"), "http://h:1/");
}

TEST(AdapterPassthrough, HostilePathsNeverChangeTheHost) {
  const std::vector<std::string> endpoints = {"https://api.openai.com/v1", "http://127.0.0.1:5555",
                                              "http://upstream.test:8080/openai/v1/", "https://u:p@h.test/base"};
  const std::vector<std::string_view> paths = {
      "/@attacker.test/x",          "/.attacker.test/x",       "//attacker.test/x",
      "///attacker.test:9/x",       "/v1//attacker.test/x",    "/http://attacker.test/x",
      "/v1/@attacker.test:1",       "/:@attacker.test/x",      "/v1/%40attacker.test",
      "/%2F%2Fattacker.test/x",     "/v1/..%2F..%2Fx",         "/v1/%5C%5Cattacker.test",
      "/v1/../../attacker.test",    "/./attacker.test",        "/?@attacker.test",
      "/#@attacker.test",           "/v1/x#@attacker.test:1/", "/v1/x?y=@attacker.test/",  "@attacker.test/x",
      ".attacker.test/x",           ":9/x",                    "attacker.test"};
  for (const std::string& endpoint : endpoints) {
    Target t = target_of(R"({"id":"custom/x","provider":"custom","endpoint":")" + endpoint + "\"}");
    auto origin = boost::urls::parse_absolute_uri(t.endpoint);
    ASSERT_TRUE(origin.has_value());
    for (std::string_view path : paths) {
      for (std::string_view query : {std::string_view(), std::string_view("a=@attacker.test/#x")}) {
        auto c = passthrough_call(t, path, query);
        if (!c) {
          EXPECT_EQ(c.error().code, ErrorCode::validation_error);
          continue;
        }
        auto url = boost::urls::parse_absolute_uri(c->url);
        ASSERT_TRUE(url.has_value()) << c->url;
        EXPECT_EQ(url->scheme(), origin->scheme()) << endpoint << " + " << path << " = " << c->url;
        EXPECT_EQ(url->encoded_host(), origin->encoded_host()) << endpoint << " + " << path << " = " << c->url;
        EXPECT_EQ(url->port(), origin->port()) << endpoint << " + " << path << " = " << c->url;
        EXPECT_EQ(url->encoded_userinfo(), origin->encoded_userinfo()) << c->url;
        EXPECT_FALSE(url->has_fragment()) << c->url;
      }
    }
  }
}

TEST(AdapterPassthrough, RefusesWhatAnUpstreamCouldReadDifferently) {
  Target openai = target_of(R"({"id":"openai/x","provider":"openai"})");
  for (std::string_view path : {"v1/x", "", "@attacker.test/x", "/v1/../x", "/v1/./x", "/v1/a%2Fb", "/v1/a%2fb",
                                "/v1/a%5Cb", "/v1/%zz"}) {
    auto c = passthrough_call(openai, path);
    ASSERT_FALSE(c.has_value()) << path << " gave " << c->url;
    EXPECT_EQ(c.error().code, ErrorCode::validation_error);
  }
  EXPECT_FALSE(passthrough_call(openai, "/v1/x", "a=%zz").has_value());
}

json::object shaped(std::string_view body, const Target& t, bool stream) {
  json::object b = doc(body);
  shape_openai_body(b, t, stream);
  return b;
}

TEST(ShapeBody, StreamFlagsForEveryProvider) {
  for (const char* p : {"openai", "gemini", "ollama", "mistral"}) {
    Target t = target_of(std::string(R"({"id":"x/up","provider":")") + p + "\"}");
    json::object s = shaped(R"({"model":"routerly/ada","messages":[],"stream_options":{"foo":1}})", t, true);
    EXPECT_EQ(s.at("model"), "up") << p;
    EXPECT_EQ(s.at("stream"), true);
    EXPECT_EQ(s.at("stream_options").at("include_usage"), true);
    EXPECT_EQ(s.at("stream_options").at("foo"), 1);  // other options kept
    json::object n =
        shaped(R"({"model":"m","stream":true,"stream_options":{"include_usage":true}})", t, false);
    EXPECT_EQ(n.at("stream"), false) << p;
    EXPECT_FALSE(n.contains("stream_options")) << p;
  }
}

TEST(ShapeBody, OpenaiMaxCompletionTokensAndReasoningFields) {
  Target gpt = target_of(R"({"id":"openai/gpt-4o","provider":"openai"})");
  json::object b = shaped(
      R"({"max_tokens":50,"input":"x","reasoning_effort":"low","reasoning_summary":"auto","temperature":0.2,
          "tools":[{"type":"function"}],"user":"u"})",
      gpt, false);
  EXPECT_EQ(b.at("max_completion_tokens"), 50);
  EXPECT_FALSE(b.contains("max_tokens"));
  EXPECT_FALSE(b.contains("input"));
  EXPECT_FALSE(b.contains("reasoning_effort"));
  EXPECT_FALSE(b.contains("reasoning_summary"));
  EXPECT_EQ(b.at("temperature"), 0.2);  // everything else forwarded
  EXPECT_EQ(b.at("user"), "u");
  EXPECT_TRUE(b.contains("tools"));

  // max_completion_tokens wins over max_tokens; null counts as absent.
  json::object both = shaped(R"({"max_tokens":50,"max_completion_tokens":70})", gpt, false);
  EXPECT_EQ(both.at("max_completion_tokens"), 70);
  EXPECT_FALSE(both.contains("max_tokens"));
  json::object null_mct = shaped(R"({"max_tokens":5,"max_completion_tokens":null})", gpt, false);
  EXPECT_EQ(null_mct.at("max_completion_tokens"), 5);
  json::object neither = shaped(R"({"messages":[]})", gpt, false);
  EXPECT_FALSE(neither.contains("max_completion_tokens"));

  for (const char* m : {"o1", "o3-mini", "o4-mini", "gpt-5-mini"}) {
    Target o = target_of(std::string(R"({"id":"openai/)") + m + R"(","provider":"openai"})");
    json::object r = shaped(R"({"reasoning_effort":"high"})", o, false);
    EXPECT_EQ(r.at("reasoning_effort"), "high") << m;
  }
}

TEST(ShapeBody, OllamaMaxTokensAndThink) {
  Target plain = target_of(R"({"id":"ollama/llama3.2","provider":"ollama"})");
  json::object b = shaped(R"({"max_completion_tokens":30})", plain, false);
  EXPECT_EQ(b.at("max_tokens"), 30);
  EXPECT_FALSE(b.contains("max_completion_tokens"));
  EXPECT_EQ(b.at("think"), false);

  Target thinking =
      target_of(R"({"id":"ollama/qwen3","provider":"ollama","capabilities":{"thinking":true}})");
  json::object t = shaped(R"({"max_tokens":10,"max_completion_tokens":30})", thinking, true);
  EXPECT_EQ(t.at("max_tokens"), 10);
  EXPECT_FALSE(t.contains("max_completion_tokens"));
  EXPECT_FALSE(t.contains("think"));
}

TEST(ShapeBody, OtherProvidersUntouched) {
  Target gemini = target_of(R"({"id":"gemini/gemini-2.5-pro","provider":"gemini"})");
  json::object b = shaped(R"({"max_tokens":9,"reasoning_effort":"low","input":"kept"})", gemini, false);
  EXPECT_EQ(b.at("max_tokens"), 9);
  EXPECT_EQ(b.at("reasoning_effort"), "low");
  EXPECT_EQ(b.at("input"), "kept");
  EXPECT_FALSE(b.contains("think"));
  EXPECT_FALSE(b.contains("max_completion_tokens"));
}

}  // namespace
}  // namespace routerly::providers
