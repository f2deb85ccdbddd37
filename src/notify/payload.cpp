#include "notify/payload.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <ctime>
#include <sstream>

#include "common/clock.hpp"
#include "common/crypto.hpp"

namespace routerly::notify {

namespace json = boost::json;

namespace {

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80 || c == '\r' || c == '\n') return false;
  return true;
}

// Header values never carry line breaks (no header injection through names or subjects).
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

std::string encoded_word(std::string_view text) {
  std::string line = one_line(text);
  if (is_ascii(line)) return line;
  return "=?UTF-8?B?" + crypto::base64_encode(line) + "?=";
}

std::string rfc5322_date(int64_t now_ms) {
  std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string format_number(double v) {
  std::ostringstream out;
  out.precision(10);
  out << v;
  return out.str();
}

}  // namespace

std::string test_payload(int64_t now_ms) {
  json::object body{{"event", "test"}, {"source", "Routerly"}, {"timestamp", clock::iso_utc(now_ms)}};
  return json::serialize(body);
}

std::string budget_payload(const BudgetEvent& event, int64_t now_ms) {
  json::object budget{{"level", event.level},   {"name", event.name},   {"metric", event.metric},
                      {"window", event.window}, {"limit", event.limit}, {"current", event.current}};
  json::object body{
      {"event", event.event}, {"budget", std::move(budget)}, {"timestamp", clock::iso_utc(now_ms)}};
  return json::serialize(body);
}

std::string signature(std::string_view secret, std::string_view body) {
  return "sha256=" + crypto::to_hex(crypto::hmac_sha256(secret, body));
}

MailText test_mail() {
  return {"Routerly \u2013 Test notification",
          "This is a test notification from Routerly.\n\n"
          "If you received this message, the notification channel is configured correctly.\n"};
}

MailText budget_mail(const BudgetEvent& event) {
  bool exhausted = event.event == "budget.exhausted";
  std::string what = event.level + (event.name.empty() ? "" : " \"" + event.name + "\"");
  MailText m;
  m.subject = std::string("Routerly \u2013 ") +
              (exhausted ? "Budget exhausted: " : "Budget threshold reached: ") + what;
  m.body = std::string(exhausted ? "A budget limit has been reached; requests under it are refused until the "
                                   "window resets.\n\n"
                                 : "A budget has crossed its alert threshold.\n\n") +
           "Level:   " + event.level + "\n" + "Name:    " + event.name + "\n" + "Metric:  " + event.metric +
           "\n" + "Window:  " + event.window + "\n" + "Limit:   " + format_number(event.limit) + "\n" +
           "Current: " + format_number(event.current) + "\n";
  return m;
}

std::string mail_message(std::string_view from_address, std::string_view from_name,
                         const std::vector<std::string>& to, const MailText& text, int64_t now_ms) {
  std::string from = one_line(from_address);
  std::string from_header = from;
  if (!from_name.empty() && is_ascii(from_name)) {
    std::string name = one_line(from_name);
    std::string escaped;
    for (char c : name) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    from_header = "\"" + escaped + "\" <" + from + ">";
  } else if (!from_name.empty()) {
    from_header = encoded_word(from_name) + " <" + from + ">";
  }
  std::string to_header;
  for (const auto& r : to) to_header += (to_header.empty() ? "" : ", ") + one_line(r);
  auto at = from.find('@');
  std::string domain = at == std::string::npos ? "routerly.local" : from.substr(at + 1);

  std::string msg;
  msg += "From: " + from_header + "\r\n";
  msg += "To: " + to_header + "\r\n";
  msg += "Subject: " + encoded_word(text.subject) + "\r\n";
  msg += "Date: " + rfc5322_date(now_ms) + "\r\n";
  msg += "Message-ID: <" + crypto::random_hex(12) + "@" + domain + ">\r\n";
  msg += "MIME-Version: 1.0\r\n";
  msg += "Content-Type: text/plain; charset=UTF-8\r\n";
  msg += "Content-Transfer-Encoding: 8bit\r\n";
  msg += "\r\n";
  for (char c : text.body) {
    if (c == '\n')
      msg += "\r\n";
    else if (c != '\r')
      msg += c;
  }
  return msg;
}

}  // namespace routerly::notify
