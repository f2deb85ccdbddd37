#pragma once
// What is sent: webhook JSON bodies and their signature (SPEC §13.3, §6.6), and the plain-text
// e-mail messages. Pure functions, so tests can check bytes exactly.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "notify/notifier.hpp"

namespace routerly::notify {

// {"event":"test","source":"Routerly","timestamp":"<ISO>"}
std::string test_payload(int64_t now_ms);
// {"event":..., "budget":{level,name,metric,window,limit,current}, "timestamp":"<ISO>"}
std::string budget_payload(const BudgetEvent& event, int64_t now_ms);
// "sha256=" + lowercase hex HMAC-SHA256(secret, body): the X-Routerly-Signature value.
std::string signature(std::string_view secret, std::string_view body);

struct MailText {
  std::string subject;  // UTF-8
  std::string body;     // UTF-8 plain text, '\n' line ends
};
MailText test_mail();
MailText budget_mail(const BudgetEvent& event);

// A complete RFC 5322 message with CRLF line ends: From, To, Subject (RFC 2047 encoded when
// not ASCII), Date, Message-ID, MIME headers, then the body.
std::string mail_message(std::string_view from_address, std::string_view from_name,
                         const std::vector<std::string>& to, const MailText& text, int64_t now_ms);

}  // namespace routerly::notify
