// The Notifier end to end against a loopback HTTP listener: test sends, the private-address
// guard, budget events sent once per window, and retries.
#include "notify/notifier.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "common/crypto.hpp"
#include "config/settings.hpp"
#include "http_sink.hpp"
#include "notify/payload.hpp"
#include "notify/transport.hpp"

namespace {

using namespace routerly;
namespace json = boost::json;
using notify_test::HttpSink;

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::initialize();
    dir_ = std::filesystem::temp_directory_path() / ("routerly-notify-" + crypto::random_hex(6));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::open_sqlite(dir_ / "db.sqlite"));
    config_ = std::make_unique<config::ConfigService>(
        *store_, [](json::object s) { return config::with_defaults(s); });
    ASSERT_TRUE(config_->load());
  }
  void TearDown() override {
    config_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void set_settings(json::object settings) {
    auto r = config_->update<bool>([&](config::Draft& d) -> Result<bool> {
      d.set_settings(settings);
      return true;
    });
    ASSERT_TRUE(r);
  }

  void use_webhook(const std::string& url, bool allow_private, std::string secret = "") {
    json::object channel{{"id", "hook"}, {"provider", "webhook"}, {"url", url}};
    if (!secret.empty()) channel["secret"] = secret;
    set_settings(
        {{"allowPrivateWebhooks", allow_private}, {"notifications", {{"channels", json::array{channel}}}}});
  }

  json::object channel() const {
    return config_->current()->settings.at("notifications").at("channels").at(0).as_object();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<config::ConfigService> config_;
};

notify::BudgetEvent exhausted(std::string window_key) {
  return {"budget.exhausted", "project", "Alpha", "cost", "daily", 5, 5.5, std::move(window_key)};
}

TEST_F(NotifierTest, WebhookTestIsSignedOverTheExactBody) {
  HttpSink sink;
  use_webhook(sink.url(), true, "s3cret");
  notify::Notifier notifier(*config_);
  auto result = notifier.send_test(channel(), "");
  EXPECT_TRUE(result.ok) << result.message;
  EXPECT_EQ(result.message, "Webhook ping OK \u2014 server responded HTTP 200.");
  auto got = sink.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/hook");
  EXPECT_EQ(got[0].headers["content-type"], "application/json");
  EXPECT_EQ(got[0].headers["x-routerly-signature"], notify::signature("s3cret", got[0].body));
  auto body = json::parse(got[0].body).as_object();
  EXPECT_EQ(body.at("event").as_string(), "test");
  EXPECT_EQ(body.at("source").as_string(), "Routerly");
}

TEST_F(NotifierTest, UnsignedWithoutSecretAndGetSendsNoBody) {
  HttpSink sink;
  use_webhook(sink.url(), true);
  notify::Notifier notifier(*config_);
  EXPECT_TRUE(notifier.send_test(channel(), "").ok);
  json::object get = channel();
  get["method"] = "GET";
  get["secret"] = "x";
  EXPECT_TRUE(notifier.send_test(get, "").ok);
  auto got = sink.wait_for(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(got[0].headers.contains("x-routerly-signature"));
  EXPECT_EQ(got[1].method, "GET");
  EXPECT_TRUE(got[1].body.empty());
  EXPECT_FALSE(got[1].headers.contains("x-routerly-signature"));
  EXPECT_FALSE(got[1].headers.contains("content-type"));
}

TEST_F(NotifierTest, PrivateUrlRefusedUnlessAllowed) {
  HttpSink sink;
  use_webhook(sink.url(), false, "s");
  notify::Notifier notifier(*config_);
  auto result = notifier.send_test(channel(), "");
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.message.find("allowPrivateWebhooks"), std::string::npos);
  notifier.budget_event(exhausted("d1"));
  EXPECT_TRUE(sink.wait_for(1, std::chrono::milliseconds(300)).empty());
}

TEST_F(NotifierTest, NonSuccessStatusIsReported) {
  HttpSink sink({500});
  use_webhook(sink.url(), true);
  notify::Notifier notifier(*config_);
  auto result = notifier.send_test(channel(), "");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.message, "Webhook responded HTTP 500: boom");
}

TEST_F(NotifierTest, UnreachableEndpointIsAnAnswerNotACrash) {
  use_webhook("http://127.0.0.1:9/hook", true);  // discard port: nothing listens
  notify::Notifier notifier(*config_);
  auto result = notifier.send_test(channel(), "");
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.message.empty());
}

TEST_F(NotifierTest, BudgetEventSentOncePerWindow) {
  HttpSink sink;
  use_webhook(sink.url(), true, "k");
  notify::Notifier notifier(*config_, nullptr, {3, 20, 100});
  notifier.budget_event(exhausted("2026-01-01"));
  notifier.budget_event(exhausted("2026-01-01"));
  auto got = sink.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  auto body = json::parse(got[0].body).as_object();
  EXPECT_EQ(body.at("event").as_string(), "budget.exhausted");
  EXPECT_EQ(body.at("budget").at("name").as_string(), "Alpha");
  EXPECT_EQ(got[0].headers["x-routerly-signature"], notify::signature("k", got[0].body));
  EXPECT_EQ(sink.wait_for(2, std::chrono::milliseconds(300)).size(), 1u);  // no second delivery

  notifier.budget_event(exhausted("2026-01-02"));  // the next window notifies again
  EXPECT_EQ(sink.wait_for(2).size(), 2u);
}

TEST_F(NotifierTest, FailedDeliveriesAreRetriedThreeTimesAtMost) {
  HttpSink flaky({503, 200});
  use_webhook(flaky.url(), true);
  {
    notify::Notifier notifier(*config_, nullptr, {3, 20, 100});
    notifier.budget_event(exhausted("w"));
    EXPECT_EQ(flaky.wait_for(2).size(), 2u);  // failed once, then delivered
  }
  HttpSink down({500});
  use_webhook(down.url(), true);
  notify::Notifier notifier(*config_, nullptr, {3, 20, 100});
  notifier.budget_event(exhausted("w"));
  EXPECT_EQ(down.wait_for(3).size(), 3u);
  EXPECT_EQ(down.wait_for(4, std::chrono::milliseconds(400)).size(), 3u);
}

// The port of a sink URL ("http://127.0.0.1:<port>/hook").
int port_of(const std::string& url) {
  auto from = url.rfind(':') + 1;
  return std::stoi(url.substr(from, url.find('/', from) - from));
}

TEST_F(NotifierTest, LoopbackSpellingsAndNamesAreRefused) {
  HttpSink sink;
  const std::string port = std::to_string(port_of(sink.url()));
  notify::Notifier notifier(*config_);
  for (const std::string host : {"[0:0:0:0:0:0:0:1]", "[0::1]", "[::0:1]", "[::ffff:127.0.0.1]", "localhost",
                                 "LocalHost.", "2130706433", "127.1"}) {
    use_webhook("http://" + host + ":" + port + "/hook", false);
    auto result = notifier.send_test(channel(), "");
    EXPECT_FALSE(result.ok) << host;
    EXPECT_NE(result.message.find("private or loopback address"), std::string::npos) << host << ": " << result.message;
  }
  EXPECT_TRUE(sink.wait_for(1, std::chrono::milliseconds(200)).empty());
  // Allowed explicitly, the name is resolved by the transport as before.
  use_webhook("http://localhost:" + port + "/hook", true);
  EXPECT_TRUE(notifier.send_test(channel(), "").ok);
}

TEST_F(NotifierTest, SmtpChannelsAreGuardedPresetsIncluded) {
  json::object smtp{{"id", "mail"},          {"provider", "smtp"},
                    {"host", "localhost"},   {"port", 2525},
                    {"secure", false},       {"fromAddress", "r@example.com"},
                    {"to", json::array{"ops@example.com"}}};
  json::object ses{{"id", "ses"},
                   {"provider", "ses"},
                   {"region", "eu-west-1"},
                   {"accessKeyId", "AKIA"},
                   {"secretAccessKey", "s"},
                   {"fromAddress", "r@example.com"},
                   {"to", json::array{"ops@example.com"}}};
  set_settings({{"allowPrivateWebhooks", false}, {"notifications", {{"channels", json::array{smtp, ses}}}}});
  std::vector<std::string> looked_up;
  notify::NotifierOptions options;
  options.resolver = [&](const std::string& host) -> Result<std::vector<ip::Address>> {
    looked_up.push_back(host);
    return std::vector<ip::Address>{*ip::parse("10.1.2.3")};  // a rebinding DNS answer
  };
  notify::Notifier notifier(*config_, nullptr, options);
  auto direct = notifier.send_test(smtp, "");
  EXPECT_FALSE(direct.ok);
  EXPECT_NE(direct.message.find("SMTP host points to a private or loopback address"), std::string::npos)
      << direct.message;
  auto preset = notifier.send_test(ses, "");
  EXPECT_FALSE(preset.ok);
  EXPECT_NE(preset.message.find("email-smtp.eu-west-1.amazonaws.com = 10.1.2.3"), std::string::npos)
      << preset.message;
  EXPECT_EQ(looked_up, (std::vector<std::string>{"localhost", "email-smtp.eu-west-1.amazonaws.com"}));
  // A literal private SMTP host is refused without a lookup.
  smtp["host"] = "127.0.0.1";
  EXPECT_NE(notifier.send_test(smtp, "").message.find("private or loopback address"), std::string::npos);
  EXPECT_EQ(looked_up.size(), 2u);
}

TEST(NotifyTransport, PinnedConnectionsGoToTheCheckedAddressOnly) {
  HttpSink sink;
  const int port = port_of(sink.url());
  // A name nobody can resolve reaches the sink: the checked address is used, no second lookup.
  notify::WebhookTarget target{"http://pinned.invalid:" + std::to_string(port) + "/hook", "POST", ""};
  auto sent = notify::send_webhook(target, "{}", notify::Pin{"pinned.invalid", port, *ip::parse("127.0.0.1")});
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->status, 200);
  auto got = sink.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  // A connection to any other address than the pinned one is refused.
  notify::WebhookTarget literal{sink.url(), "POST", ""};
  auto refused = notify::send_webhook(literal, "{}", notify::Pin{"127.0.0.1", port, *ip::parse("127.0.0.2")});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("other than the checked one"), std::string::npos) << refused.error().message;
  EXPECT_EQ(sink.wait_for(2, std::chrono::milliseconds(200)).size(), 1u);
}

}  // namespace
