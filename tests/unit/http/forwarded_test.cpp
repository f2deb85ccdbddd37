// Client-address resolution behind reverse proxies.
#include "http/forwarded.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace routerly;

std::vector<ip::Cidr> cidrs(std::initializer_list<const char*> list) {
  std::vector<ip::Cidr> out;
  for (const char* c : list) out.push_back(*ip::parse_cidr(c));
  return out;
}

TEST(Forwarded, HeadersAreIgnoredWithoutTrustedProxies) {
  auto o = http::client_origin("203.0.113.5", "198.51.100.1", "https", {});
  EXPECT_EQ(o.address, "203.0.113.5");
  EXPECT_EQ(o.scheme, "http");
}

TEST(Forwarded, HeadersFromAnUntrustedPeerAreIgnored) {
  auto trusted = cidrs({"10.0.0.0/8"});
  auto o = http::client_origin("203.0.113.5", "198.51.100.1", "https", trusted);
  EXPECT_EQ(o.address, "203.0.113.5");
  EXPECT_EQ(o.scheme, "http");
}

TEST(Forwarded, TrustedPeerRightMostUntrustedAddressIsTheClient) {
  auto trusted = cidrs({"10.0.0.0/8", "fd00::/8"});
  // The client may write anything on the left; the proxies append on the right.
  auto o = http::client_origin("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.9", "https", trusted);
  EXPECT_EQ(o.address, "198.51.100.7");
  EXPECT_EQ(o.scheme, "https");
  EXPECT_EQ(http::client_origin("fd00::1", "2001:db8::5", "", trusted).address, "2001:db8::5");
  // Ports and brackets some proxies add.
  EXPECT_EQ(http::client_origin("10.0.0.2", "198.51.100.7:5123", "", trusted).address, "198.51.100.7");
  EXPECT_EQ(http::client_origin("10.0.0.2", "[2001:db8::5]:443", "", trusted).address, "2001:db8::5");
}

TEST(Forwarded, AllHopsTrustedGivesTheLeftMost) {
  auto trusted = cidrs({"10.0.0.0/8"});
  EXPECT_EQ(http::client_origin("10.0.0.2", "10.1.1.1, 10.2.2.2", "", trusted).address, "10.1.1.1");
}

TEST(Forwarded, GarbageStopsAtTheLastTrustedHop) {
  auto trusted = cidrs({"10.0.0.0/8"});
  EXPECT_EQ(http::client_origin("10.0.0.2", "198.51.100.7, not-an-ip", "", trusted).address, "10.0.0.2");
  EXPECT_EQ(http::client_origin("10.0.0.2", "garbage, 10.0.0.3", "", trusted).address, "10.0.0.3");
  EXPECT_EQ(http::client_origin("10.0.0.2", "", "", trusted).address, "10.0.0.2");
  // Unknown schemes are not believed.
  EXPECT_EQ(http::client_origin("10.0.0.2", "", "gopher", trusted).scheme, "http");
  EXPECT_EQ(http::client_origin("10.0.0.2", "", "http, HTTPS", trusted).scheme, "https");
}

TEST(Forwarded, MappedPeersAreIPv4) {
  auto trusted = cidrs({"127.0.0.1/32"});
  auto o = http::client_origin("::ffff:127.0.0.1", "198.51.100.7", "", trusted);
  EXPECT_EQ(o.address, "198.51.100.7");
  EXPECT_EQ(http::client_origin("::ffff:203.0.113.5", "", "", {}).address, "203.0.113.5");
}

TEST(Forwarded, RequestHeadersAreJoinedInOrder) {
  http::Request req;
  req.remote_address = "10.0.0.2";
  req.headers = {{"x-forwarded-for", "198.51.100.1"},
                 {"x-forwarded-for", "198.51.100.2, 10.0.0.3"},
                 {"x-forwarded-proto", "https"}};
  auto trusted = cidrs({"10.0.0.0/8"});
  auto o = http::client_origin(req, trusted);
  EXPECT_EQ(o.address, "198.51.100.2");
  EXPECT_EQ(o.scheme, "https");
}

}  // namespace
