#include "config/settings.hpp"

#include <boost/json/array.hpp>

#include "common/ids.hpp"
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

Result<json::value> budgets(const json::value& v, const json::object&) {
  auto limits = normalize_limits(v, "budgets");
  if (!limits) return std::unexpected(limits.error());
  return json::value(std::move(*limits));
}

// Channels are kept as given; their contents are checked where they are used (notify).
Result<json::value> notifications(const json::value& v, const json::object&) {
  if (!v.is_object()) return invalid("notifications", "be an object with a 'channels' array");
  if (const auto* channels = v.as_object().if_contains("channels")) {
    if (!channels->is_array()) return invalid("notifications.channels", "be an array of objects");
    std::size_t i = 0;
    for (const auto& c : channels->as_array()) {
      if (!c.is_object()) return invalid("notifications.channels[" + std::to_string(i) + "]", "be an object");
      ++i;
    }
  }
  return v;
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
    {"telemetry", telemetry},
    {"budgets", budgets},
    {"corsOrigins", cors_origins},
    {"maxBodyBytes", max_body_bytes},
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
      {"corsOrigins", json::array{"*"}},
      {"maxBodyBytes", 33554432},
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

}  // namespace routerly::config
