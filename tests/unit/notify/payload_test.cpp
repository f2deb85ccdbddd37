#include "notify/payload.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/crypto.hpp"

namespace {

using namespace routerly;
namespace json = boost::json;

constexpr int64_t kNow = 1767225600123;  // 2026-01-01T00:00:00.123Z

TEST(NotifyPayload, TestPayloadIsExactlyTheSpecShape) {
  EXPECT_EQ(notify::test_payload(kNow),
            R"({"event":"test","source":"Routerly","timestamp":"2026-01-01T00:00:00.123Z"})");
}

TEST(NotifyPayload, BudgetPayloadCarriesTheLimit) {
  notify::BudgetEvent e{"budget.exhausted", "project", "Alpha", "cost", "daily", 5.0, 5.25, "2026-01-01"};
  json::object body = json::parse(notify::budget_payload(e, kNow)).as_object();
  EXPECT_EQ(body.at("event").as_string(), "budget.exhausted");
  EXPECT_EQ(body.at("timestamp").as_string(), "2026-01-01T00:00:00.123Z");
  const json::object& b = body.at("budget").as_object();
  EXPECT_EQ(b.size(), 6u);
  EXPECT_EQ(b.at("level").as_string(), "project");
  EXPECT_EQ(b.at("name").as_string(), "Alpha");
  EXPECT_EQ(b.at("metric").as_string(), "cost");
  EXPECT_EQ(b.at("window").as_string(), "daily");
  EXPECT_DOUBLE_EQ(b.at("limit").to_number<double>(), 5.0);
  EXPECT_DOUBLE_EQ(b.at("current").to_number<double>(), 5.25);
  EXPECT_EQ(body.size(), 3u);  // window_key is internal
}

TEST(NotifyPayload, SignatureIsLowercaseHexHmacOfTheBody) {
  crypto::initialize();
  // RFC-style published HMAC-SHA256 vector.
  EXPECT_EQ(notify::signature("key", "The quick brown fox jumps over the lazy dog"),
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  EXPECT_NE(notify::signature("key", "body "), notify::signature("key", "body"));
  EXPECT_NE(notify::signature("key2", "body"), notify::signature("key", "body"));
}

TEST(NotifyMail, MessageHeadersAndCrlfBody) {
  crypto::initialize();
  auto msg = notify::mail_message("alerts@example.com", "Routerly Alerts", {"a@example.com", "b@example.com"},
                                  notify::test_mail(), kNow);
  EXPECT_NE(msg.find("From: \"Routerly Alerts\" <alerts@example.com>\r\n"), std::string::npos);
  EXPECT_NE(msg.find("To: a@example.com, b@example.com\r\n"), std::string::npos);
  // "Routerly – Test notification" has an en dash, so the subject is an RFC 2047 word.
  EXPECT_NE(
      msg.find("Subject: =?UTF-8?B?" + crypto::base64_encode("Routerly \u2013 Test notification") + "?=\r\n"),
      std::string::npos);
  EXPECT_NE(msg.find("Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  auto blank = msg.find("\r\n\r\n");
  ASSERT_NE(blank, std::string::npos);
  std::string body = msg.substr(blank + 4);
  EXPECT_NE(body.find("test notification from Routerly.\r\n"), std::string::npos);
  for (std::size_t i = 0; i < msg.size(); ++i) {
    if (msg[i] == '\n') {
      ASSERT_TRUE(i > 0 && msg[i - 1] == '\r') << "bare LF at " << i;
    }
  }
}

TEST(NotifyMail, BareAddressAndNoHeaderInjection) {
  crypto::initialize();
  notify::MailText text{"Hello\r\nBcc: evil@example.com", "x\n"};
  auto msg = notify::mail_message("alerts@example.com", "", {"a@example.com"}, text, kNow);
  EXPECT_NE(msg.find("From: alerts@example.com\r\n"), std::string::npos);
  EXPECT_EQ(msg.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(msg.find("Subject: Hello  Bcc: evil@example.com\r\n"), std::string::npos);
}

TEST(NotifyMail, BudgetMailNamesTheLimit) {
  notify::BudgetEvent e{"budget.threshold", "token", "ci", "calls", "hourly", 100, 81, "k"};
  auto m = notify::budget_mail(e);
  EXPECT_NE(m.subject.find("threshold"), std::string::npos);
  EXPECT_NE(m.body.find("Metric:  calls"), std::string::npos);
  EXPECT_NE(m.body.find("Limit:   100"), std::string::npos);
  EXPECT_NE(m.body.find("Current: 81"), std::string::npos);
}

}  // namespace
