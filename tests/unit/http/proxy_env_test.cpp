#include "http/proxy_env.hpp"

#include <gtest/gtest.h>

#include "http/client_connection.hpp"

namespace routerly::http::detail {
namespace {

TEST(ProxyEnv, ParsesProxyUrls) {
  Proxy p = parse_proxy_url("http://user:p%40ss@Proxy.Corp:3128/");
  EXPECT_TRUE(p.error.empty());
  EXPECT_EQ(p.host, "proxy.corp");
  EXPECT_EQ(p.port, 3128);
  EXPECT_EQ(p.authorization, "Basic dXNlcjpwQHNz");  // user:p@ss

  Proxy bare = parse_proxy_url(" proxy.corp:8080 ");
  EXPECT_TRUE(bare.error.empty());
  EXPECT_EQ(bare.host, "proxy.corp");
  EXPECT_EQ(bare.port, 8080);
  EXPECT_EQ(bare.authorization, "");

  EXPECT_EQ(parse_proxy_url("http://proxy.corp").port, 80);
  EXPECT_EQ(parse_proxy_url("http://[::1]:9000").host, "::1");
  EXPECT_FALSE(parse_proxy_url("https://proxy.corp:443").error.empty());
  EXPECT_FALSE(parse_proxy_url("socks5://proxy.corp:1080").error.empty());
}

TEST(ProxyEnv, SchemeSelectsTheVariable) {
  ProxyEnv env = ProxyEnv::parse("http://secure.proxy:1", "http://plain.proxy:2", "");
  ASSERT_NE(env.proxy_for("https", "api.openai.com", 443), nullptr);
  EXPECT_EQ(env.proxy_for("https", "api.openai.com", 443)->host, "secure.proxy");
  ASSERT_NE(env.proxy_for("http", "api.openai.com", 80), nullptr);
  EXPECT_EQ(env.proxy_for("http", "api.openai.com", 80)->host, "plain.proxy");

  ProxyEnv https_only = ProxyEnv::parse("http://secure.proxy:1", "", "");
  EXPECT_EQ(https_only.proxy_for("http", "api.openai.com", 80), nullptr);
}

TEST(ProxyEnv, LoopbackIsAlwaysDirect) {
  ProxyEnv env = ProxyEnv::parse("http://p:1", "http://p:1", "");
  EXPECT_EQ(env.proxy_for("http", "localhost", 80), nullptr);
  EXPECT_EQ(env.proxy_for("http", "127.0.0.1", 11434), nullptr);
  EXPECT_EQ(env.proxy_for("https", "::1", 443), nullptr);
  EXPECT_NE(env.proxy_for("http", "10.0.0.1", 80), nullptr);
}

TEST(ProxyEnv, NoProxyMatching) {
  ProxyEnv env = ProxyEnv::parse("http://p:1", "",
                                 " .example.com, internal.corp ,*.wild.org,host.one:8443,[::2]:443, ::3 ");
  EXPECT_TRUE(env.bypass("example.com", 443));
  EXPECT_TRUE(env.bypass("api.example.com", 443));
  EXPECT_TRUE(env.bypass("API.Example.COM", 443));
  EXPECT_FALSE(env.bypass("notexample.com", 443));
  EXPECT_TRUE(env.bypass("internal.corp", 443));
  EXPECT_TRUE(env.bypass("a.b.internal.corp", 443));
  EXPECT_FALSE(env.bypass("internal.corp.evil", 443));
  EXPECT_TRUE(env.bypass("x.wild.org", 443));
  EXPECT_TRUE(env.bypass("host.one", 8443));
  EXPECT_FALSE(env.bypass("host.one", 443));
  EXPECT_TRUE(env.bypass("::2", 443));
  EXPECT_FALSE(env.bypass("::2", 80));
  EXPECT_TRUE(env.bypass("::3", 1));
  EXPECT_FALSE(env.bypass("api.openai.com", 443));
  EXPECT_EQ(env.proxy_for("https", "api.example.com", 443), nullptr);
  EXPECT_NE(env.proxy_for("https", "api.openai.com", 443), nullptr);
}

TEST(ProxyEnv, NoProxyStarBypassesEverything) {
  ProxyEnv env = ProxyEnv::parse("http://p:1", "http://p:1", "foo,*");
  EXPECT_EQ(env.proxy_for("https", "api.openai.com", 443), nullptr);
  EXPECT_EQ(env.proxy_for("http", "anything", 80), nullptr);
}

TEST(ClientOrigin, ParsesUpstreamUrls) {
  auto o = parse_origin("https://API.openai.com/v1/chat/completions?x=1");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->scheme, "https");
  EXPECT_EQ(o->host, "api.openai.com");
  EXPECT_EQ(o->port, 443);
  EXPECT_EQ(o->target, "/v1/chat/completions?x=1");
  EXPECT_EQ(o->host_header, "api.openai.com");

  auto local = parse_origin("http://127.0.0.1:11434");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->port, 11434);
  EXPECT_EQ(local->target, "/");
  EXPECT_EQ(local->host_header, "127.0.0.1:11434");

  auto v6 = parse_origin("http://[::1]:8080/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_header, "[::1]:8080");

  EXPECT_FALSE(parse_origin("ftp://x/"));
  EXPECT_FALSE(parse_origin("/relative"));
  EXPECT_FALSE(parse_origin("http:///nohost"));
}

}  // namespace
}  // namespace routerly::http::detail
