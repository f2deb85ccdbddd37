#pragma once
// Notifications (SPEC §13.3, §6.6, issue 4): channels from settings.notifications.channels
// (webhook with HMAC signature, SMTP incl. SES/SendGrid presets), budget events sent once per
// window, delivered off the request path with retries.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto.hpp"
#include "common/ip_address.hpp"
#include "common/error.hpp"
#include "config/snapshot.hpp"

namespace routerly::notify {

struct BudgetEvent {
  std::string event;  // "budget.threshold" | "budget.exhausted"
  std::string level, name, metric, window;
  double limit = 0, current = 0;
  std::string window_key;  // identifies the window instance: one event per (limit, window_key)
};

// The answer of POST /api/notifications/test (SPEC §13.3): 200 {ok, message, fixedSecure?}.
struct TestResult {
  bool ok = false;
  std::string message;
  std::optional<bool> fixed_secure;  // set when the SMTP test only worked with `secure` flipped
};

struct NotifierOptions {
  int attempts = 3;                 // per channel and event
  int64_t first_backoff_ms = 2000;  // doubled after each failed attempt
  std::size_t queue_limit = 1000;   // deliveries waiting; beyond it new ones are dropped (logged)
  // Name lookups for the private-address guard; empty: the system resolver.
  std::function<Result<std::vector<ip::Address>>(const std::string& host)> resolver;
};

class Notifier {
 public:
  // `secrets` opens the sealed channel secrets (see notify/secrets.hpp); it must outlive the
  // notifier. Null: only plain secrets are used.
  explicit Notifier(config::ConfigService& config, const crypto::SecretBox* secrets = nullptr,
                    NotifierOptions options = {});
  ~Notifier();  // stops the delivery thread after trying what is queued (bounded)
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Queues the event for every channel unless it was already sent for this window. Never blocks.
  void budget_event(const BudgetEvent& event);
  // POST /api/notifications/test: sends a test message to one channel now (blocking; call from
  // the blocking pool). `to` overrides an e-mail channel's recipients. Never throws.
  TestResult send_test(const boost::json::object& channel, const std::string& to);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The key under which a budget event is deduplicated: event, limit identity and window instance.
std::string dedupe_key(const BudgetEvent& event);

}  // namespace routerly::notify
