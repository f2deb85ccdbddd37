#pragma once
// Blocking deliveries over libcurl. Nothing here logs; callers decide what to report.
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/ip_address.hpp"
#include "notify/channel.hpp"

namespace routerly::notify {

// The address the destination's host was checked against (see address_guard.hpp). With a pin,
// the connection goes to that address and nowhere else: no second lookup, no proxy from the
// environment, and a connection to any other address is refused.
struct Pin {
  std::string host;  // as in the URL / channel, IPv6 without brackets
  int port = 0;
  ip::Address address;
};

struct WebhookResponse {
  long status = 0;
  std::string body;  // at most the first few KiB
};

// POST `body` (Content-Type: application/json, X-Routerly-Signature when the target has a
// secret) or, for method GET, a bare GET with no body and no extra headers (SPEC §13.3).
// Redirects are not followed (they could lead past the address guard). Transport failure →
// upstream_error with curl's message; any HTTP status is a value.
Result<WebhookResponse> send_webhook(const WebhookTarget& target, const std::string& body,
                                     const std::optional<Pin>& pin = std::nullopt);

// Sends `message` (a full RFC 5322 message) to `recipients` over smtp:// (STARTTLS when
// offered) or smtps://. upstream_error with curl's message on failure.
Result<void> send_mail(const SmtpTarget& target, const std::vector<std::string>& recipients,
                       const std::string& message, const std::optional<Pin>& pin = std::nullopt);

}  // namespace routerly::notify
