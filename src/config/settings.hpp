#pragma once
// Settings (SPEC §4.1 plus §00 additions) as stored JSON, with defaults, validation of
// partial updates, and the runtime overrides from environment and flags (not persisted).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/ip_address.hpp"

namespace routerly::config {

boost::json::object default_settings();

// Fills missing keys of a stored settings object with defaults.
boost::json::object with_defaults(boost::json::object stored);

// PUT /api/settings: validates the patch (400 naming the field) and returns the merged object.
Result<boost::json::object> merge_settings(const boost::json::object& current, const boost::json::value& patch);

// Notification channel secrets are never returned (issue 4): masked_settings replaces each one
// (plain, or sealed by the admin layer as "<field>Enc") with kMaskedSecret. A PUT that sends
// kMaskedSecret back keeps the stored value of the channel with the same id (merge_settings).
inline constexpr std::string_view kMaskedSecret = "********";
inline constexpr std::string_view kChannelSecretFields[] = {"password", "secretAccessKey", "apiKey", "secret"};
boost::json::object masked_settings(boost::json::object settings);

// settings.trustedProxies as ranges (entries were validated when stored; unreadable ones are skipped).
std::vector<ip::Cidr> trusted_proxies(const boost::json::object& settings);

struct Overrides {
  std::optional<std::string> host;
  std::optional<uint16_t> port;
  std::optional<std::string> public_url;
  std::optional<std::string> log_level;
};

// ROUTERLY_HOST, ROUTERLY_PORT, ROUTERLY_PUBLIC_URL, ROUTERLY_LOG_LEVEL. Invalid values → error.
Result<Overrides> overrides_from_env();

// The effective settings: stored values with overrides applied on top.
boost::json::object apply_overrides(boost::json::object settings, const Overrides& overrides);

}  // namespace routerly::config
