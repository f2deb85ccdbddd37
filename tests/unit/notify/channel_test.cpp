#include "notify/channel.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace {

using namespace routerly;
namespace json = boost::json;

json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(NotifyChannel, WebhookWithTypeAlias) {
  auto c =
      notify::parse_channel(obj(R"({"id":"w1","type":"webhook","url":"https://x.test/h","secret":"s"})"));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->webhook);
  EXPECT_EQ(c->provider, "webhook");
  EXPECT_EQ(c->webhook->method, "POST");
  EXPECT_EQ(c->webhook->secret, "s");
  EXPECT_FALSE(c->smtp);
}

TEST(NotifyChannel, SmtpDefaultsAndTlsModes) {
  auto c = notify::parse_channel(obj(
      R"({"id":"m","provider":"smtp","host":"mail.test","port":465,"fromAddress":"a@x.test","to":"b@x.test, c@x.test"})"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->smtp->secure);  // 465 without `secure` means implicit TLS
  EXPECT_FALSE(c->smtp->verify_tls);
  EXPECT_EQ(c->smtp->to, (std::vector<std::string>{"b@x.test", "c@x.test"}));
  auto plain = notify::parse_channel(
      obj(R"({"provider":"smtp","host":"mail.test","port":2525,"secure":false,"fromAddress":"a@x.test"})"));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->smtp->secure);
  EXPECT_EQ(plain->smtp->port, 2525);
}

TEST(NotifyChannel, SesAndSendgridPresets) {
  auto ses = notify::parse_channel(obj(
      R"({"provider":"ses","region":"eu-west-1","accessKeyId":"AKIA","secretAccessKey":"sk","fromAddress":"a@x.test"})"));
  ASSERT_TRUE(ses) << ses.error().message;
  EXPECT_EQ(ses->smtp->host, "email-smtp.eu-west-1.amazonaws.com");
  EXPECT_EQ(ses->smtp->port, 465);
  EXPECT_TRUE(ses->smtp->secure);
  EXPECT_TRUE(ses->smtp->verify_tls);
  EXPECT_EQ(ses->smtp->username, "AKIA");
  EXPECT_EQ(ses->smtp->password, "sk");

  auto sg = notify::parse_channel(obj(R"({"provider":"sendgrid","apiKey":"SG.k","fromAddress":"a@x.test"})"));
  ASSERT_TRUE(sg) << sg.error().message;
  EXPECT_EQ(sg->smtp->host, "smtp.sendgrid.net");
  EXPECT_EQ(sg->smtp->port, 587);
  EXPECT_FALSE(sg->smtp->secure);
  EXPECT_EQ(sg->smtp->username, "apikey");
  EXPECT_EQ(sg->smtp->password, "SG.k");
}

TEST(NotifyChannel, ErrorsNameTheField) {
  auto no_url = notify::parse_channel(obj(R"({"provider":"webhook"})"));
  ASSERT_FALSE(no_url);
  EXPECT_NE(no_url.error().message.find("'url'"), std::string::npos);
  auto bad_region =
      notify::parse_channel(obj(R"({"provider":"ses","region":"x.evil/","fromAddress":"a@x.test"})"));
  ASSERT_FALSE(bad_region);
  EXPECT_NE(bad_region.error().message.find("'region'"), std::string::npos);
  auto unknown = notify::parse_channel(obj(R"({"provider":"pigeon","fromAddress":"a@x.test"})"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("pigeon"), std::string::npos);
  EXPECT_FALSE(notify::parse_channel(obj(R"({"provider":"smtp","host":"h"})")));  // fromAddress
}

}  // namespace
