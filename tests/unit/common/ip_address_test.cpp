#include "common/ip_address.hpp"

#include <gtest/gtest.h>

namespace {

using namespace routerly;

TEST(IpAddress, ParsesLiteralsOnly) {
  EXPECT_EQ(ip::parse("192.0.2.1")->to_string(), "192.0.2.1");
  EXPECT_EQ(ip::parse("[::1]")->to_string(), "::1");
  EXPECT_EQ(ip::parse("0:0:0:0:0:0:0:1")->to_string(), "::1");
  EXPECT_EQ(ip::parse("::ffff:10.0.0.1")->to_string(), "10.0.0.1");
  EXPECT_EQ(*ip::parse("::ffff:10.0.0.1"), *ip::parse("10.0.0.1"));
  EXPECT_TRUE(ip::parse("10.0.0.1")->is_v4());
  EXPECT_FALSE(ip::parse("::1")->is_v4());
  for (const char* bad : {"", "localhost", "127.1", "2130706433", "0x7f.0.0.1", "1.2.3.4.5", "256.0.0.1",
                          "::g", "fe80::1%eth0", "[::1", " 1.2.3.4"})
    EXPECT_FALSE(ip::parse(bad)) << bad;
}

TEST(IpAddress, Cidrs) {
  auto ten = ip::parse_cidr("10.0.0.0/8");
  ASSERT_TRUE(ten);
  EXPECT_TRUE(ten->contains(*ip::parse("10.255.0.1")));
  EXPECT_TRUE(ten->contains(*ip::parse("::ffff:10.1.2.3")));
  EXPECT_FALSE(ten->contains(*ip::parse("11.0.0.1")));
  EXPECT_FALSE(ten->contains(*ip::parse("::a00:1")));
  auto one = ip::parse_cidr("192.0.2.7");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->contains(*ip::parse("192.0.2.7")));
  EXPECT_FALSE(one->contains(*ip::parse("192.0.2.8")));
  auto v6 = ip::parse_cidr("fd00::/8");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(*ip::parse("fdff::1")));
  EXPECT_FALSE(v6->contains(*ip::parse("fe00::1")));
  EXPECT_TRUE(ip::parse_cidr("0.0.0.0/0")->contains(*ip::parse("8.8.8.8")));
  EXPECT_TRUE(ip::parse_cidr("::/0")->contains(*ip::parse("2001:db8::1")));
  for (const char* bad :
       {"10.0.0.1/8", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "/8", "host/8", "10.0.0.0/8/8"})
    EXPECT_FALSE(ip::parse_cidr(bad)) << bad;
}

}  // namespace
