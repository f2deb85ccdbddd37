#include "notify/address_guard.hpp"

#include <gtest/gtest.h>

namespace {

using routerly::notify::check_webhook_url;
using routerly::notify::is_private_host;

TEST(AddressGuard, SpecListIsPrivate) {
  for (const char* host : {"localhost", "LOCALHOST", "::1", "[::1]", "127.0.0.1", "127.1.2.3", "10.0.0.1",
                           "10.255.255.255", "192.168.1.1", "172.16.0.1", "172.31.255.255", "169.254.169.254",
                           "fc00::1", "fd12:3456::1", "fe80::1", "[fe80::1]", "100.100.100.200"}) {
    EXPECT_TRUE(is_private_host(host)) << host;
  }
}

TEST(AddressGuard, Hardening) {
  for (const char* host : {"0.0.0.0", "::", "app.localhost", "localhost.", "::ffff:127.0.0.1", "2130706433",
                           "0x7f.0.0.1", "127.1", "017.0.0.1", "febf::1"}) {
    EXPECT_TRUE(is_private_host(host)) << host;
  }
}

TEST(AddressGuard, PublicHostsPass) {
  for (const char* host : {"example.com", "hooks.slack.com", "8.8.8.8", "172.15.0.1", "172.32.0.1",
                           "192.169.0.1", "100.100.100.201", "11.0.0.1", "2001:db8::1", "fdroid.org",
                           "fcbarcelona.com", "::ffff:8.8.8.8", "127.example.com"}) {
    EXPECT_FALSE(is_private_host(host)) << host;
  }
}

TEST(AddressGuard, CheckWebhookUrl) {
  EXPECT_TRUE(check_webhook_url("https://example.com/hook", false));
  EXPECT_TRUE(check_webhook_url("http://8.8.8.8:8080/x?y=1", false));
  auto refused = check_webhook_url("http://127.0.0.1:9000/hook", false);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("allowPrivateWebhooks"), std::string::npos);
  EXPECT_TRUE(check_webhook_url("http://127.0.0.1:9000/hook", true));
  EXPECT_FALSE(check_webhook_url("http://[::1]:9000/", false));
  EXPECT_FALSE(check_webhook_url("ftp://example.com/", true));
  EXPECT_FALSE(check_webhook_url("file:///etc/passwd", true));
  EXPECT_FALSE(check_webhook_url("not a url", true));
}

}  // namespace
