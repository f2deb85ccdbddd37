#include "notify/notifier.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/clock.hpp"
#include "notify/address_guard.hpp"
#include "notify/channel.hpp"
#include "notify/dedupe.hpp"
#include "notify/payload.hpp"
#include "notify/secrets.hpp"
#include "notify/transport.hpp"

namespace routerly::notify {

namespace json = boost::json;

namespace {

constexpr std::size_t kDedupeCapacity = 4096;
constexpr int64_t kDedupeTtlMs = 366LL * 24 * 3600 * 1000;  // the longest window is a year
constexpr auto kShutdownBudget = std::chrono::seconds(10);

bool allow_private_webhooks(config::ConfigService& config) {
  const auto* v = config.current()->settings.if_contains("allowPrivateWebhooks");
  return v != nullptr && v->is_bool() && v->as_bool();
}

std::vector<json::object> configured_channels(config::ConfigService& config) {
  std::vector<json::object> out;
  const auto* n = config.current()->settings.if_contains("notifications");
  if (n == nullptr || !n->is_object()) return out;
  const auto* channels = n->as_object().if_contains("channels");
  if (channels == nullptr || !channels->is_array()) return out;
  for (const auto& c : channels->as_array())
    if (c.is_object()) out.push_back(c.as_object());
  return out;
}

// Unless private destinations are allowed, the host is resolved and checked, and the transport
// is pinned to the checked address. Blocking (name lookup): runs on the delivery thread or on
// the blocking pool, never on an I/O thread.
Result<std::optional<Pin>> guarded_pin(std::string_view what, const std::string& host, int port, bool allow_private,
                                       const Resolver& resolver) {
  if (allow_private) return std::optional<Pin>();
  auto address = checked_destination(what, host, resolver);
  if (!address) return std::unexpected(address.error());
  return std::optional<Pin>(Pin{host, port, *address});
}

// Webhook outcome as SPEC §13.3 words it; the error is the message.
Result<std::string> deliver_webhook(const WebhookTarget& target, const std::string& body, bool allow_private,
                                    const Resolver& resolver) {
  auto destination = webhook_destination(target.url);
  if (!destination) return std::unexpected(destination.error());
  auto pin = guarded_pin("Webhook URL", destination->host, destination->port, allow_private, resolver);
  if (!pin) return std::unexpected(pin.error());
  auto response = send_webhook(target, body, *pin);
  if (!response) return std::unexpected(response.error());
  if (response->status < 200 || response->status > 299) {
    return fail(ErrorCode::upstream_error, "Webhook responded HTTP " + std::to_string(response->status) +
                                               ": " + response->body.substr(0, 200));
  }
  return "Webhook ping OK \u2014 server responded HTTP " + std::to_string(response->status) + ".";
}

// An SMTP delivery behind the same guard as webhooks (presets included: their host names
// resolve like any other).
Result<void> deliver_mail(const SmtpTarget& target, const std::vector<std::string>& recipients,
                          const std::string& message, bool allow_private, const Resolver& resolver) {
  auto pin = guarded_pin("SMTP host", target.host, target.port, allow_private, resolver);
  if (!pin) return std::unexpected(pin.error());
  return send_mail(target, recipients, message, *pin);
}

bool tls_mismatch(const std::string& message) {
  for (const char* hint : {"wrong version number", "ssl3_get_record", "ECONNRESET", "Connection reset",
                           "packet length too long", "unexpected eof"}) {
    if (message.find(hint) != std::string::npos) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ", ") + s;
  return out;
}

struct Job {
  Channel channel;
  BudgetEvent event;
};

}  // namespace

std::string dedupe_key(const BudgetEvent& e) {
  std::ostringstream key;
  key.precision(17);
  key << e.event << '\x1f' << e.level << '\x1f' << e.name << '\x1f' << e.metric << '\x1f' << e.window
      << '\x1f' << e.limit << '\x1f' << e.window_key;
  return key.str();
}

struct Notifier::Impl {
  config::ConfigService& config;
  const crypto::SecretBox* secrets;
  NotifierOptions options;
  DedupeSet sent{kDedupeCapacity, kDedupeTtlMs};
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Job> queue;
  bool stopping = false;
  std::chrono::steady_clock::time_point stop_deadline;
  std::thread worker;

  Resolver resolver;

  Impl(config::ConfigService& c, const crypto::SecretBox* s, NotifierOptions o)
      : config(c), secrets(s), options(std::move(o)), resolver(options.resolver ? options.resolver : Resolver(resolve_host)) {
    worker = std::thread([this] { run(); });
  }

  void run() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty() || (stopping && std::chrono::steady_clock::now() > stop_deadline)) return;
        job = std::move(queue.front());
        queue.pop_front();
      }
      deliver(job);
    }
  }

  // Sleeps between attempts; false when the notifier is stopping (no more retries then).
  bool back_off(int64_t ms) {
    std::unique_lock lock(mutex);
    return !wake.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopping; });
  }

  Result<std::string> attempt(const Job& job) {
    const int64_t now = clock::now_ms();
    if (job.channel.webhook) {
      return deliver_webhook(*job.channel.webhook, budget_payload(job.event, now),
                             allow_private_webhooks(config), resolver);
    }
    const SmtpTarget& smtp = *job.channel.smtp;
    std::string message =
        mail_message(smtp.from_address, smtp.from_name, smtp.to, budget_mail(job.event), now);
    auto sent_ok = deliver_mail(smtp, smtp.to, message, allow_private_webhooks(config), resolver);
    if (!sent_ok) return std::unexpected(sent_ok.error());
    return std::string("sent");
  }

  void deliver(const Job& job) {
    if (job.channel.smtp && job.channel.smtp->to.empty()) {
      spdlog::warn("notification {} not sent to channel '{}': it has no 'to' recipients", job.event.event,
                   job.channel.label());
      return;
    }
    int64_t backoff = options.first_backoff_ms;
    for (int n = 1; n <= options.attempts; ++n) {
      auto result = attempt(job);
      if (result) {
        spdlog::debug("notification {} delivered to channel '{}'", job.event.event, job.channel.label());
        return;
      }
      spdlog::warn("notification {} to channel '{}' failed (attempt {}/{}): {}", job.event.event,
                   job.channel.label(), n, options.attempts, result.error().message);
      // A refused destination will not become acceptable by retrying.
      if (result.error().code == ErrorCode::validation_error) return;
      if (n < options.attempts && !back_off(backoff)) return;
      backoff *= 2;
    }
  }
};

Notifier::Notifier(config::ConfigService& config, const crypto::SecretBox* secrets, NotifierOptions options)
    : impl_(std::make_unique<Impl>(config, secrets, std::move(options))) {}

Notifier::~Notifier() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->stop_deadline = std::chrono::steady_clock::now() + kShutdownBudget;
  }
  impl_->wake.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
}

void Notifier::budget_event(const BudgetEvent& event) {
  if (!impl_->sent.first_time(dedupe_key(event), clock::now_ms())) return;
  std::vector<Job> jobs;
  for (const auto& raw : configured_channels(impl_->config)) {
    auto channel = parse_channel(open_channel_secrets(raw, impl_->secrets));
    if (!channel) {
      spdlog::warn(
          "notification channel '{}' skipped: {}",
          raw.contains("id") && raw.at("id").is_string() ? std::string(raw.at("id").as_string()) : "?",
          channel.error().message);
      continue;
    }
    jobs.push_back(Job{std::move(*channel), event});
  }
  if (jobs.empty()) return;
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& job : jobs) {
      if (impl_->queue.size() >= impl_->options.queue_limit) {
        spdlog::warn("notification {} to channel '{}' dropped: delivery queue full", job.event.event,
                     job.channel.label());
        continue;
      }
      impl_->queue.push_back(std::move(job));
    }
  }
  impl_->wake.notify_one();
}

TestResult Notifier::send_test(const json::object& raw, const std::string& to) {
  auto channel = parse_channel(open_channel_secrets(raw, impl_->secrets));
  if (!channel) return {false, channel.error().message, std::nullopt};
  const int64_t now = clock::now_ms();

  if (channel->webhook) {
    auto result = deliver_webhook(*channel->webhook, test_payload(now), allow_private_webhooks(impl_->config),
                                  impl_->resolver);
    if (!result) return {false, result.error().message, std::nullopt};
    return {true, *result, std::nullopt};
  }

  SmtpTarget smtp = *channel->smtp;
  std::vector<std::string> recipients = to.empty() ? smtp.to : std::vector<std::string>{to};
  if (recipients.empty())
    return {false, "No recipient: give 'to' or set the channel's 'to' list.", std::nullopt};
  std::string message = mail_message(smtp.from_address, smtp.from_name, recipients, test_mail(), now);
  const bool allow_private = allow_private_webhooks(impl_->config);
  auto sent = deliver_mail(smtp, recipients, message, allow_private, impl_->resolver);
  if (sent) return {true, "Test email sent to " + join(recipients) + ".", std::nullopt};
  if (channel->provider != "smtp" || sent.error().code == ErrorCode::validation_error ||
      !tls_mismatch(sent.error().message)) {
    return {false, sent.error().message, std::nullopt};
  }
  // The port speaks the other TLS mode: try once more with `secure` flipped (SPEC §13.3).
  smtp.secure = !smtp.secure;
  if (deliver_mail(smtp, recipients, message, allow_private, impl_->resolver)) {
    return {true,
            std::string("Test email sent to ") + join(recipients) + ", but only with \"secure\" " +
                (smtp.secure ? "on (implicit TLS)" : "off (STARTTLS)") +
                ": update the channel's TLS setting.",
            smtp.secure};
  }
  return {false,
          "Cannot connect to " + smtp.host + ":" + std::to_string(smtp.port) +
              " \u2014 tried both SSL and STARTTLS. Check host/port.",
          std::nullopt};
}

}  // namespace routerly::notify
