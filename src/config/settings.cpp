#include "config/settings.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cctype>

#include "common/ids.hpp"
#include "common/ip_address.hpp"
#include "config/json_checks.hpp"
#include "config/limits.hpp"

namespace routerly::config {

namespace {

namespace json = boost::json;
using checks::invalid;

const std::initializer_list<std::string_view> kLogLevels = {"trace", "debug", "info", "warn", "error"};

using Validator = Result<json::value> (*)(const json::value& v, const json::object& current);

Result<json::value> integer_in(const json::value& v, std::string_view field, int64_t lo, int64_t hi) {
  auto n = checks::as_integer(v);
  if (!n || *n < lo || *n > hi) {
    return invalid(field, "be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return json::value(*n);
}

Result<json::value> boolean(const json::value& v, std::string_view field) {
  if (!v.is_bool()) return invalid(field, "be a boolean");
  return v;
}

Result<json::value> port(const json::value& v, const json::object&) {
  return integer_in(v, "port", 1, 65535);
}

Result<json::value> host(const json::value& v, const json::object&) {
  if (!v.is_string() || v.as_string().empty()) return invalid("host", "be a non-empty string");
  return v;
}

Result<json::value> dashboard_enabled(const json::value& v, const json::object&) {
  return boolean(v, "dashboardEnabled");
}

Result<json::value> default_timeout(const json::value& v, const json::object&) {
  return integer_in(v, "defaultTimeoutMs", 1000, 3600000);
}

Result<json::value> max_body_bytes(const json::value& v, const json::object&) {
  return integer_in(v, "maxBodyBytes", 1024, 268435456);
}

Result<json::value> log_level(const json::value& v, const json::object&) {
  if (!v.is_string() || !checks::is_one_of(v.as_string(), kLogLevels)) {
    return invalid("logLevel", "be one of " + checks::join(kLogLevels));
  }
  return v;
}

Result<json::value> public_url(const json::value& v, const json::object&) {
  if (!v.is_string() || !checks::is_http_url(v.as_string())) return invalid("publicUrl", "be an http(s) URL");
  return v;
}

Result<json::value> channel(const json::value& v, const json::object&) {
  if (!v.is_string() || v.as_string().empty()) return invalid("channel", "be a non-empty string");
  return v;
}

Result<json::value> cors_origins(const json::value& v, const json::object&) {
  if (!v.is_array()) return invalid("corsOrigins", "be an array of origins");
  std::size_t i = 0;
  for (const auto& origin : v.as_array()) {
    if (!origin.is_string() || (origin.as_string() != "*" && !checks::is_http_origin(origin.as_string()))) {
      return invalid("corsOrigins[" + std::to_string(i) + "]",
                     "be \"*\" or an http(s) origin such as https://app.example.com");
    }
    ++i;
  }
  return v;
}

// Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: CIDRs or single
// addresses. Empty (the default): none, the TCP peer is the client.
Result<json::value> trusted_proxies(const json::value& v, const json::object&) {
  if (!v.is_array()) return invalid("trustedProxies", "be an array of CIDRs such as \"10.0.0.0/8\"");
  std::size_t i = 0;
  for (const auto& entry : v.as_array()) {
    if (!entry.is_string() || !ip::parse_cidr(entry.as_string()))
      return invalid("trustedProxies[" + std::to_string(i) + "]",
                     "be an IP address or a CIDR with its host bits zero, such as \"10.0.0.0/8\" or \"fd00::/8\"");
    ++i;
  }
  return v;
}

Result<json::value> budgets(const json::value& v, const json::object&) {
  auto limits = normalize_limits(v, "budgets");
  if (!limits) return std::unexpected(limits.error());
  return json::value(std::move(*limits));
}

// Percentage of a budget at which budget.threshold is sent (issue 4); 100 = only exhaustion.
Result<json::value> budget_alert_threshold(const json::value& v, const json::object&) {
  return integer_in(v, "budgetAlertThreshold", 1, 100);
}

// How long in-flight requests may still run after SIGTERM; streams still open then are ended
// with an error and recorded. Read when the shutdown starts.
Result<json::value> shutdown_grace_ms(const json::value& v, const json::object&) {
  return integer_in(v, "shutdownGraceMs", 0, 600000);
}

// Days of usage records to keep (issue 5); absent = keep forever, so it has no default.
Result<json::value> retention_days(const json::value& v, const json::object&) {
  return integer_in(v, "retentionDays", 1, 3650);
}

// The longest a streamed upstream answer may last in all, in ms; absent = no overall limit
// (only the gap between chunks is bounded), so it has no default.
Result<json::value> max_stream_ms(const json::value& v, const json::object&) {
  return integer_in(v, "maxStreamMs", 1000, 86400000);
}

// The most usage records held in memory while the store is slow or unavailable; beyond it
// records go straight to the usage spool on disk. 10000 records (a few kB each with their
// trace: tens of MB at most) cover several seconds of a busy gateway, which is how long a
// store hiccup lasts before the spool takes over; the floor keeps batching possible, the
// ceiling keeps the memory bounded.
Result<json::value> usage_queue_max(const json::value& v, const json::object&) {
  return integer_in(v, "usageQueueMax", 100, 1000000);
}

const std::initializer_list<std::string_view> kUsageDurability = {"batched", "sync"};

// "batched": a response does not wait for its usage record, which reaches the store within
// about 50 ms. "sync": a response completes only once its record is durable.
Result<json::value> usage_durability(const json::value& v, const json::object&) {
  if (!v.is_string() || !checks::is_one_of(v.as_string(), kUsageDurability))
    return invalid("usageDurability", "be one of " + checks::join(kUsageDurability));
  return v;
}

// --- notifications (SPEC §4.1 channel objects, §13.3; issue 4) ---

const std::initializer_list<std::string_view> kChannelProviders = {"webhook", "smtp", "ses", "sendgrid"};

// An e-mail address as far as headers care: one '@', no spaces, angle brackets or line breaks.
bool is_mail_address(std::string_view s) {
  auto at = s.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= s.size() || s.find('@', at + 1) != s.npos)
    return false;
  return s.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos;
}

Result<void> optional_string(const json::object& c, std::string_view key, const std::string& at) {
  if (const auto* v = c.if_contains(key); v != nullptr && !v->is_string())
    return invalid(at + std::string(key), "be a string");
  return {};
}

Result<void> required_string(const json::object& c, std::string_view key, const std::string& at) {
  const auto* v = c.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty())
    return invalid(at + std::string(key), "be a non-empty string");
  return {};
}

// A channel secret sent back masked keeps the stored value (sealed "<key>Enc" or plain) of
// the channel with the same id; a new plaintext value replaces it.
Result<void> restore_secrets(json::object& c, const json::object* stored, const std::string& at) {
  for (std::string_view key : kChannelSecretFields) {
    std::string enc = std::string(key) + "Enc";
    c.erase(enc);  // only the server writes sealed values
    const auto* v = c.if_contains(key);
    if (v == nullptr || v->is_null()) {
      c.erase(key);
      continue;
    }
    if (!v->is_string()) return invalid(at + std::string(key), "be a string");
    if (v->as_string() != kMaskedSecret) continue;
    c.erase(key);
    if (stored != nullptr && stored->contains(enc))
      c[enc] = stored->at(enc);
    else if (stored != nullptr && stored->contains(key))
      c[key] = stored->at(key);
    else
      return invalid(at + std::string(key),
                     "be the secret itself: no stored value to keep for the masked one");
  }
  return {};
}

bool has_secret(const json::object& c, std::string_view key) {
  const auto* v = c.if_contains(key);
  return c.contains(std::string(key) + "Enc") || (v != nullptr && v->is_string() && !v->as_string().empty());
}

Result<void> check_recipients(json::object& c, const std::string& at) {
  auto* to = c.if_contains("to");
  if (to == nullptr || to->is_null()) {
    c.erase("to");
    return {};
  }
  json::array list;
  if (to->is_string()) {  // "a@x, b@y" from a single form field
    std::string_view s = to->as_string();
    std::size_t start = 0;
    while (start <= s.size()) {
      auto end = std::min(s.find_first_of(",;", start), s.size());
      std::string_view part = s.substr(start, end - start);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (!part.empty()) list.emplace_back(part);
      start = end + 1;
    }
  } else if (to->is_array()) {
    list = to->as_array();
  } else {
    return invalid(at + "to", "be an array of e-mail addresses");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string() || !is_mail_address(list[i].as_string()))
      return invalid(at + "to[" + std::to_string(i) + "]", "be an e-mail address");
  }
  c["to"] = std::move(list);
  return {};
}

Result<void> check_email_channel(json::object& c, std::string_view provider, const std::string& at) {
  const auto* from = c.if_contains("fromAddress");
  if (from == nullptr || !from->is_string() || !is_mail_address(from->as_string()))
    return invalid(at + "fromAddress", "be an e-mail address");
  if (auto ok = optional_string(c, "fromName", at); !ok) return ok;
  if (const auto* name = c.if_contains("fromName");
      name && name->as_string().find_first_of("\r\n") != json::string::npos)
    return invalid(at + "fromName", "be a single line");
  if (auto ok = check_recipients(c, at); !ok) return ok;

  if (provider == "smtp") {
    if (auto ok = required_string(c, "host", at); !ok) return ok;
    const auto* secure = c.if_contains("secure");
    if (secure != nullptr && !secure->is_bool()) return invalid(at + "secure", "be a boolean");
    if (const auto* p = c.if_contains("port")) {
      auto n = checks::as_integer(*p);
      if (!n || *n < 1 || *n > 65535) return invalid(at + "port", "be an integer from 1 to 65535");
      c["port"] = *n;
    } else {
      c["port"] = secure != nullptr && secure->as_bool() ? 465 : 587;
    }
    if (auto ok = optional_string(c, "username", at); !ok) return ok;
  } else if (provider == "ses") {
    const auto* region = c.if_contains("region");
    bool ok_region = region != nullptr && region->is_string() && !region->as_string().empty();
    if (ok_region)
      for (char ch : region->as_string())
        ok_region = ok_region && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-');
    if (!ok_region) return invalid(at + "region", "be an AWS region such as eu-west-1");
    if (auto ok = optional_string(c, "accessKeyId", at); !ok) return ok;
  } else if (!has_secret(c, "apiKey")) {  // sendgrid
    return invalid(at + "apiKey", "be a non-empty string");
  }
  return {};
}

Result<json::value> channel_entry(const json::value& v, const json::object* stored_channels, std::size_t i) {
  const std::string at = "notifications.channels[" + std::to_string(i) + "].";
  if (!v.is_object()) return invalid("notifications.channels[" + std::to_string(i) + "]", "be an object");
  json::object c = v.as_object();

  if (const auto* id = c.if_contains("id"); id == nullptr || id->is_null())
    c["id"] = ids::uuid_v4();
  else if (!id->is_string() || id->as_string().empty())
    return invalid(at + "id", "be a non-empty string");
  if (auto ok = optional_string(c, "name", at); !ok) return std::unexpected(ok.error());

  // `provider` (SPEC §4.1) with `type` accepted as an alias; stored as `provider`.
  const auto* provider = c.if_contains("provider");
  if (provider == nullptr || provider->is_null()) provider = c.if_contains("type");
  if (provider == nullptr || !provider->is_string() ||
      !checks::is_one_of(provider->as_string(), kChannelProviders))
    return invalid(at + "provider", "be one of " + checks::join(kChannelProviders));
  const std::string kind(provider->as_string());
  c["provider"] = kind;
  c.erase("type");

  const json::object* stored = nullptr;
  if (stored_channels != nullptr) {
    for (const auto& s : stored_channels->at("channels").as_array())
      if (s.is_object() && s.as_object().contains("id") && s.as_object().at("id") == c.at("id"))
        stored = &s.as_object();
  }
  if (auto ok = restore_secrets(c, stored, at); !ok) return std::unexpected(ok.error());

  if (kind == "webhook") {
    const auto* url = c.if_contains("url");
    if (url == nullptr || !url->is_string() || !checks::is_http_url(url->as_string()))
      return invalid(at + "url", "be an http(s) URL");
    if (const auto* m = c.if_contains("method"); m != nullptr && !m->is_null()) {
      std::string method = m->is_string() ? std::string(m->as_string()) : "";
      for (char& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (method != "POST" && method != "GET") return invalid(at + "method", "be POST or GET");
      c["method"] = method;
    }
  } else if (auto ok = check_email_channel(c, kind, at); !ok) {
    return std::unexpected(ok.error());
  }
  return json::value(std::move(c));
}

Result<json::value> notifications(const json::value& v, const json::object& current) {
  if (!v.is_object()) return invalid("notifications", "be an object with a 'channels' array");
  json::object out = v.as_object();
  auto* channels = out.if_contains("channels");
  if (channels == nullptr || channels->is_null()) {
    out["channels"] = json::array{};
    return json::value(std::move(out));
  }
  if (!channels->is_array()) return invalid("notifications.channels", "be an array of objects");

  const json::object* stored = nullptr;
  if (const auto* n = current.if_contains("notifications"); n != nullptr && n->is_object()) {
    if (const auto* sc = n->as_object().if_contains("channels"); sc != nullptr && sc->is_array())
      stored = &n->as_object();
  }
  json::array checked;
  for (std::size_t i = 0; i < channels->as_array().size(); ++i) {
    auto c = channel_entry(channels->as_array()[i], stored, i);
    if (!c) return std::unexpected(c.error());
    for (const auto& earlier : checked) {
      if (earlier.as_object().at("id") == c->as_object().at("id"))
        return invalid("notifications.channels[" + std::to_string(i) + "].id", "be unique");
    }
    checked.push_back(std::move(*c));
  }
  out["channels"] = std::move(checked);
  return json::value(std::move(out));
}

Result<json::value> allow_private_webhooks(const json::value& v, const json::object&) {
  return boolean(v, "allowPrivateWebhooks");
}

// SPEC §4.1: {enabled:true} keeps (or creates) the install id and lastPingedVersion;
// anything else disables telemetry and keeps only the install id.
Result<json::value> telemetry(const json::value& v, const json::object& current) {
  if (!v.is_object()) return invalid("telemetry", "be an object such as {\"enabled\": true}");
  const auto* enabled = v.as_object().if_contains("enabled");
  if (enabled != nullptr && !enabled->is_bool()) return invalid("telemetry.enabled", "be a boolean");

  const json::object* existing = nullptr;
  if (const auto* t = current.if_contains("telemetry"); t != nullptr && t->is_object())
    existing = &t->as_object();
  std::string install_id;
  if (existing != nullptr) {
    if (const auto* id = existing->if_contains("installId"); id != nullptr && id->is_string()) {
      install_id = id->as_string();
    }
  }

  json::object out;
  if (enabled != nullptr && enabled->as_bool()) {
    out["enabled"] = true;
    out["installId"] = install_id.empty() ? ids::uuid_v4() : install_id;
    if (existing != nullptr) {
      if (const auto* version = existing->if_contains("lastPingedVersion"))
        out["lastPingedVersion"] = *version;
    }
  } else {
    out["enabled"] = false;
    out["installId"] = install_id;
  }
  return json::value(std::move(out));
}

struct Rule {
  std::string_view key;
  Validator validate;
};

constexpr Rule kRules[] = {
    {"port", port},
    {"host", host},
    {"dashboardEnabled", dashboard_enabled},
    {"defaultTimeoutMs", default_timeout},
    {"logLevel", log_level},
    {"publicUrl", public_url},
    {"channel", channel},
    {"notifications", notifications},
    {"allowPrivateWebhooks", allow_private_webhooks},
    {"telemetry", telemetry},
    {"budgets", budgets},
    {"budgetAlertThreshold", budget_alert_threshold},
    {"corsOrigins", cors_origins},
    {"trustedProxies", trusted_proxies},
    {"maxBodyBytes", max_body_bytes},
    {"retentionDays", retention_days},
    {"maxStreamMs", max_stream_ms},
    {"shutdownGraceMs", shutdown_grace_ms},
    {"usageQueueMax", usage_queue_max},
    {"usageDurability", usage_durability},
};

const Rule* rule_for(std::string_view key) {
  for (const Rule& rule : kRules) {
    if (rule.key == key) return &rule;
  }
  return nullptr;
}

}  // namespace

json::object default_settings() {
  return json::object{
      {"port", 3000},
      {"host", "0.0.0.0"},
      {"dashboardEnabled", true},
      {"defaultTimeoutMs", 30000},
      {"logLevel", "info"},
      {"publicUrl", "http://localhost:3000"},
      {"channel", "latest"},
      {"budgets", json::array{}},
      {"budgetAlertThreshold", 80},
      {"corsOrigins", json::array{"*"}},
      {"trustedProxies", json::array{}},
      {"maxBodyBytes", 33554432},
      {"shutdownGraceMs", 10000},
      {"usageQueueMax", 10000},
      {"usageDurability", "batched"},
  };
}

json::object with_defaults(json::object stored) {
  json::object out = default_settings();
  for (auto& [key, value] : stored) out[key] = std::move(value);
  return out;
}

// A null value removes the key, so that the default applies again.
Result<json::object> merge_settings(const json::object& current, const json::value& patch) {
  if (!patch.is_object()) return fail(ErrorCode::validation_error, "settings must be a JSON object");
  json::object merged = current;
  for (const auto& [key, value] : patch.as_object()) {
    const Rule* rule = rule_for(key);
    if (rule == nullptr) {
      return fail(ErrorCode::validation_error, "field '" + std::string(key) + "' is not a known setting");
    }
    if (value.is_null()) {
      merged.erase(key);
      continue;
    }
    auto checked = rule->validate(value, current);
    if (!checked) return std::unexpected(checked.error());
    merged[key] = std::move(*checked);
  }
  return merged;
}

std::vector<ip::Cidr> trusted_proxies(const json::object& settings) {
  std::vector<ip::Cidr> out;
  const auto* list = settings.if_contains("trustedProxies");
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& entry : list->as_array()) {
    if (!entry.is_string()) continue;
    if (auto cidr = ip::parse_cidr(entry.as_string())) out.push_back(*cidr);
  }
  return out;
}

json::object masked_settings(json::object settings) {
  auto* n = settings.if_contains("notifications");
  if (n == nullptr || !n->is_object()) return settings;
  auto* channels = n->as_object().if_contains("channels");
  if (channels == nullptr || !channels->is_array()) return settings;
  for (auto& c : channels->as_array()) {
    if (!c.is_object()) continue;
    json::object& channel = c.as_object();
    for (std::string_view key : kChannelSecretFields) {
      const std::string enc = std::string(key) + "Enc";
      const auto* plain = channel.if_contains(key);
      bool set =
          channel.contains(enc) ||
          (plain != nullptr && !(plain->is_string() && plain->as_string().empty()) && !plain->is_null());
      channel.erase(enc);
      if (set) channel[key] = kMaskedSecret;
    }
  }
  return settings;
}

}  // namespace routerly::config
