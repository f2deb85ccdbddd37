#pragma once
// A notification channel of settings.notifications.channels, read into what delivery needs.
// SES and SendGrid are SMTP presets (SPEC §13.3).
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace routerly::notify {

struct WebhookTarget {
  std::string url;
  std::string method = "POST";  // POST | GET
  std::string secret;           // empty: unsigned
};

struct SmtpTarget {
  std::string host;
  int port = 587;
  bool secure = false;     // implicit TLS (smtps); otherwise STARTTLS when the server offers it
  bool verify_tls = true;  // off for self-configured SMTP servers (SPEC §13.3), on for presets
  std::string username, password;
  std::string from_address, from_name;
  std::vector<std::string> to;  // recipients of events
};

struct Channel {
  std::string id, name, provider;  // provider: webhook | smtp | ses | sendgrid
  std::optional<WebhookTarget> webhook;
  std::optional<SmtpTarget> smtp;
  // "name" if set, else the id: how log lines refer to the channel.
  std::string label() const { return name.empty() ? id : name; }
};

// validation_error naming the field for an unusable channel. `provider` or its alias `type`.
Result<Channel> parse_channel(const boost::json::object& channel);

}  // namespace routerly::notify
