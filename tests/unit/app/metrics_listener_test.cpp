#include "app/metrics_listener.hpp"

#include <gtest/gtest.h>

namespace routerly::app {
namespace {

TEST(ListenAddress, HostAndPort) {
  auto a = parse_listen_address("127.0.0.1:9464");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 9464);
  auto b = parse_listen_address("localhost:1");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->host, "localhost");
  EXPECT_EQ(b->port, 1);
}

TEST(ListenAddress, BracketedIpv6) {
  auto a = parse_listen_address("[::1]:65535");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 65535);
}

TEST(ListenAddress, RefusesWhatIsNotHostColonPort) {
  for (const char* bad : {"", "localhost", ":9464", "host:", "host:0", "host:65536", "host:12x", "::1:9464",
                          "[::1]9464", "[::1]", "host:-1"}) {
    auto parsed = parse_listen_address(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::validation_error);
    EXPECT_NE(parsed.error().message.find("host:port"), std::string::npos) << parsed.error().message;
  }
}

}  // namespace
}  // namespace routerly::app
