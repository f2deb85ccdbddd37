// The private-address guard: the classifier over a table of spellings, resolution (every
// address counts), and URL parsing.
#include "notify/address_guard.hpp"

#include <gtest/gtest.h>

namespace {

using namespace routerly;
using notify::checked_destination;
using notify::is_private_address;

bool private_literal(const char* text) {
  auto a = ip::parse(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a && is_private_address(*a);
}

TEST(AddressGuard, PrivateSpellings) {
  for (const char* text :
       {"127.0.0.1", "127.1.2.3", "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "172.16.0.1",
        "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "100.100.100.200",
        "224.0.0.1", "255.255.255.255",
        // IPv6 loopback and unspecified, in every spelling
        "::1", "[::1]", "0:0:0:0:0:0:0:1", "0::1", "::0:1", "0000:0000:0000:0000:0000:0000:0000:0001", "::",
        "0:0:0:0:0:0:0:0",
        // link-local, unique-local, site-local, multicast
        "fe80::1", "[fe80::1]", "febf::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1",
        // IPv4-mapped and IPv4-compatible forms of private addresses
        "::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:ffff:7f00:0001", "::ffff:10.1.2.3", "::ffff:169.254.169.254",
        "::127.0.0.1", "::10.0.0.1", "::ffff:0.0.0.0",
        // NAT64 and 6to4 forms that carry a private IPv4 address
        "64:ff9b::7f00:1", "64:ff9b::a00:1", "2002:7f00:1::1", "2002:a9fe:a9fe::"}) {
    EXPECT_TRUE(private_literal(text)) << text;
  }
}

TEST(AddressGuard, PublicAddressesPass) {
  for (const char* text : {"8.8.8.8", "1.1.1.1", "172.15.0.1", "172.32.0.1", "192.169.0.1", "100.63.255.255",
                           "100.128.0.1", "11.0.0.1", "223.255.255.255", "2001:db8::1", "2606:4700::1111",
                           "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_FALSE(private_literal(text)) << text;
  }
}

TEST(AddressGuard, LiteralsAreCheckedWithoutLookup) {
  notify::Resolver never = [](const std::string& host) -> Result<std::vector<ip::Address>> {
    ADD_FAILURE() << "looked up " << host;
    return std::vector<ip::Address>{};
  };
  auto refused = checked_destination("Webhook URL", "0:0:0:0:0:0:0:1", never);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::validation_error);
  EXPECT_NE(refused.error().message.find("private or loopback address"), std::string::npos);
  EXPECT_NE(refused.error().message.find("allowPrivateWebhooks"), std::string::npos);
  auto ok = checked_destination("Webhook URL", "8.8.8.8", never);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->to_string(), "8.8.8.8");
}

TEST(AddressGuard, AnyPrivateAddressAmongTheResolvedRefuses) {
  notify::Resolver mixed = [](const std::string&) -> Result<std::vector<ip::Address>> {
    return std::vector<ip::Address>{*ip::parse("93.184.216.34"), *ip::parse("::ffff:192.168.0.5")};
  };
  auto refused = checked_destination("SMTP host", "mail.example.com", mixed);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("SMTP host points to a private or loopback address"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("mail.example.com = 192.168.0.5"), std::string::npos);

  notify::Resolver public_only = [](const std::string&) -> Result<std::vector<ip::Address>> {
    return std::vector<ip::Address>{*ip::parse("2606:4700::1111"), *ip::parse("93.184.216.34")};
  };
  auto ok = checked_destination("SMTP host", "mail.example.com", public_only);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->to_string(), "2606:4700::1111");  // the first answer is the one connected to
}

TEST(AddressGuard, NamesResolvingToLoopbackAreRefused) {
  // Real lookups: /etc/hosts and the resolver's numeric shorthands.
  for (const char* host : {"localhost", "LOCALHOST", "localhost.", "2130706433", "0x7f.0.0.1", "127.1", "0"}) {
    auto r = checked_destination("Webhook URL", host);
    ASSERT_FALSE(r) << host << " → " << r->to_string();
    EXPECT_EQ(r.error().code, ErrorCode::validation_error) << host << ": " << r.error().message;
    EXPECT_NE(r.error().message.find("private or loopback address"), std::string::npos) << r.error().message;
  }
}

TEST(AddressGuard, UnresolvableNameIsAnUpstreamError) {
  notify::Resolver failing = [](const std::string& host) -> Result<std::vector<ip::Address>> {
    return fail(ErrorCode::upstream_error, "cannot resolve '" + host + "'");
  };
  auto r = checked_destination("Webhook URL", "hooks.example.com.", failing);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::upstream_error);  // worth a retry, unlike a refusal
  EXPECT_EQ(r.error().message, "cannot resolve 'hooks.example.com'");
}

TEST(AddressGuard, WebhookDestination) {
  auto d = notify::webhook_destination("https://Hooks.Example.com/x?y=1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "hooks.example.com");
  EXPECT_EQ(d->port, 443);
  d = notify::webhook_destination("http://[0::1]:9000/hook");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "0::1");
  EXPECT_EQ(d->port, 9000);
  EXPECT_EQ(notify::webhook_destination("http://8.8.8.8/")->port, 80);
  EXPECT_FALSE(notify::webhook_destination("ftp://example.com/"));
  EXPECT_FALSE(notify::webhook_destination("file:///etc/passwd"));
  EXPECT_FALSE(notify::webhook_destination("not a url"));
  EXPECT_FALSE(notify::webhook_destination("http://loc%61lhost/"));
  EXPECT_FALSE(notify::webhook_destination("http://[fe80::1%25eth0]/"));
}

}  // namespace
