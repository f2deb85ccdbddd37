// settings.notifications / allowPrivateWebhooks validation, masking and sealing of channel secrets.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/crypto.hpp"
#include "config/settings.hpp"
#include "notify/secrets.hpp"

namespace {

using namespace routerly;
namespace json = boost::json;

json::value val(std::string_view text) {
  return json::parse(text);
}

Result<json::object> put(const json::object& current, std::string_view patch) {
  return config::merge_settings(current, val(patch));
}

const json::object& channel0(const json::object& settings) {
  return settings.at("notifications").at("channels").at(0).as_object();
}

void expect_error_names(const Result<json::object>& r, std::string_view field) {
  ASSERT_FALSE(r) << "accepted";
  EXPECT_EQ(r.error().code, ErrorCode::validation_error);
  EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
}

TEST(NotificationSettings, NormalisesTypeAliasAndGeneratesId) {
  auto r = put(
      {}, R"({"notifications":{"channels":[{"type":"webhook","url":"https://x.test/h","method":"get"}]}})");
  ASSERT_TRUE(r) << r.error().message;
  const auto& c = channel0(*r);
  EXPECT_EQ(c.at("provider").as_string(), "webhook");
  EXPECT_FALSE(c.contains("type"));
  EXPECT_EQ(c.at("method").as_string(), "GET");
  ASSERT_TRUE(c.at("id").is_string());
  EXPECT_FALSE(c.at("id").as_string().empty());
}

TEST(NotificationSettings, RejectsBadChannelsNamingTheField) {
  expect_error_names(put({}, R"({"notifications":[]})"), "'notifications'");
  expect_error_names(put({}, R"({"notifications":{"channels":[{"provider":"fax"}]}})"),
                     "notifications.channels[0].provider");
  expect_error_names(put({}, R"({"notifications":{"channels":[{"provider":"webhook","url":"ftp://x"}]}})"),
                     "notifications.channels[0].url");
  expect_error_names(
      put({},
          R"({"notifications":{"channels":[{"provider":"webhook","url":"https://x.test","method":"PUT"}]}})"),
      "notifications.channels[0].method");
  expect_error_names(
      put({}, R"({"notifications":{"channels":[{"provider":"smtp","fromAddress":"a@x.test"}]}})"),
      "notifications.channels[0].host");
  expect_error_names(
      put({},
          R"({"notifications":{"channels":[{"provider":"smtp","host":"h","port":70000,"fromAddress":"a@x.test"}]}})"),
      "notifications.channels[0].port");
  expect_error_names(
      put({}, R"({"notifications":{"channels":[{"provider":"smtp","host":"h","fromAddress":"nobody"}]}})"),
      "notifications.channels[0].fromAddress");
  expect_error_names(
      put({},
          R"({"notifications":{"channels":[{"provider":"smtp","host":"h","fromAddress":"a@x.test","to":["ok@x.test","bad\r\nBcc: x@y"]}]}})"),
      "notifications.channels[0].to[1]");
  expect_error_names(
      put({}, R"({"notifications":{"channels":[{"provider":"ses","fromAddress":"a@x.test"}]}})"),
      "notifications.channels[0].region");
  expect_error_names(
      put({}, R"({"notifications":{"channels":[{"provider":"sendgrid","fromAddress":"a@x.test"}]}})"),
      "notifications.channels[0].apiKey");
  expect_error_names(
      put({},
          R"({"notifications":{"channels":[{"id":"a","provider":"webhook","url":"https://x.test"},{"id":"a","provider":"webhook","url":"https://y.test"}]}})"),
      "notifications.channels[1].id");
}

TEST(NotificationSettings, SmtpPortDefaultsAndRecipientsList) {
  auto r = put(
      {},
      R"({"notifications":{"channels":[{"id":"m","provider":"smtp","host":"h","secure":true,"fromAddress":"a@x.test","to":"b@x.test; c@x.test"}]}})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(channel0(*r).at("port").as_int64(), 465);
  EXPECT_EQ(channel0(*r).at("to"), val(R"(["b@x.test","c@x.test"])"));
}

// Absent means false (the notifier reads it that way); not part of default_settings().
TEST(NotificationSettings, AllowPrivateWebhooksIsABoolean) {
  EXPECT_FALSE(config::default_settings().contains("allowPrivateWebhooks"));
  auto r = put({}, R"({"allowPrivateWebhooks":true})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at("allowPrivateWebhooks"), json::value(true));
  expect_error_names(put({}, R"({"allowPrivateWebhooks":"yes"})"), "allowPrivateWebhooks");
}

TEST(NotificationSettings, SecretsAreMaskedSealedAndKeptWhenSentBackMasked) {
  crypto::initialize();
  crypto::SecretBox box(std::string(32, 'k'));
  auto first = put({}, R"({"notifications":{"channels":[
      {"id":"w","provider":"webhook","url":"https://x.test/h","secret":"hook-secret"},
      {"id":"m","provider":"smtp","host":"h","port":25,"fromAddress":"a@x.test","username":"u","password":"pw-1"}]}})");
  ASSERT_TRUE(first) << first.error().message;
  json::object stored = *first;
  notify::seal_channel_secrets(stored, box);
  std::string dump = json::serialize(stored);
  EXPECT_EQ(dump.find("hook-secret"), std::string::npos);
  EXPECT_EQ(dump.find("pw-1"), std::string::npos);

  // GET: masked, never the sealed form either.
  json::object shown = config::masked_settings(stored);
  std::string shown_text = json::serialize(shown);
  EXPECT_EQ(shown_text.find("Enc"), std::string::npos);
  EXPECT_EQ(channel0(shown).at("secret").as_string(), config::kMaskedSecret);
  EXPECT_EQ(shown.at("notifications").at("channels").at(1).at("password").as_string(), config::kMaskedSecret);
  EXPECT_EQ(shown.at("notifications").at("channels").at(1).at("username").as_string(), "u");

  // PUT of what GET returned (with one edit) keeps the stored secrets.
  shown["notifications"].as_object()["channels"].as_array()[1].as_object()["host"] = "h2";
  auto second =
      config::merge_settings(stored, json::value(json::object{{"notifications", shown.at("notifications")}}));
  ASSERT_TRUE(second) << second.error().message;
  notify::seal_channel_secrets(*second, box);
  auto opened_hook = notify::open_channel_secrets(channel0(*second), &box);
  EXPECT_EQ(opened_hook.at("secret").as_string(), "hook-secret");
  auto opened_mail =
      notify::open_channel_secrets(second->at("notifications").at("channels").at(1).as_object(), &box);
  EXPECT_EQ(opened_mail.at("password").as_string(), "pw-1");
  EXPECT_EQ(opened_mail.at("host").as_string(), "h2");
  EXPECT_FALSE(opened_mail.contains("passwordEnc"));

  // A new value replaces the secret; a masked value for an unknown channel is refused.
  auto third = put(
      *second,
      R"({"notifications":{"channels":[{"id":"w","provider":"webhook","url":"https://x.test/h","secret":"new"}]}})");
  ASSERT_TRUE(third);
  EXPECT_EQ(channel0(*third).at("secret").as_string(), "new");
  expect_error_names(
      put(*second,
          R"({"notifications":{"channels":[{"id":"zz","provider":"webhook","url":"https://x.test/h","secret":"********"}]}})"),
      "notifications.channels[0].secret");
  // A client cannot plant a sealed value of its own.
  auto planted = put(
      {},
      R"({"notifications":{"channels":[{"id":"p","provider":"webhook","url":"https://x.test/h","secretEnc":"v1:AAAA"}]}})");
  ASSERT_TRUE(planted);
  EXPECT_FALSE(channel0(*planted).contains("secretEnc"));
}

TEST(NotificationSettings, SecretsFromAnotherKeyAreNotOpened) {
  crypto::initialize();
  crypto::SecretBox box(std::string(32, 'k')), other(std::string(32, 'o'));
  json::object settings = *put(
      {},
      R"({"notifications":{"channels":[{"id":"w","provider":"webhook","url":"https://x.test","secret":"s"}]}})");
  notify::seal_channel_secrets(settings, box);
  EXPECT_EQ(notify::open_channel_secrets(channel0(settings), &other).at("secret").as_string(), "");
  EXPECT_EQ(notify::open_channel_secrets(channel0(settings), nullptr).at("secret").as_string(), "");
}

}  // namespace
