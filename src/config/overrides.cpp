// Runtime overrides of settings from the environment (SPEC §12.4 D11): applied on top of the
// stored settings, never persisted.
#include <charconv>
#include <cstdlib>

#include "config/json_checks.hpp"
#include "config/settings.hpp"

namespace routerly::config {

namespace {

// Unset and empty variables both mean "no override".
std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::unexpected<Error> bad_env(std::string_view name, std::string_view requirement) {
  return fail(ErrorCode::validation_error,
              "environment variable " + std::string(name) + " must be " + std::string(requirement));
}

}  // namespace

Result<Overrides> overrides_from_env() {
  Overrides out;
  out.host = env("ROUTERLY_HOST");
  if (auto port = env("ROUTERLY_PORT")) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
    if (ec != std::errc{} || end != port->data() + port->size() || value < 1 || value > 65535) {
      return bad_env("ROUTERLY_PORT", "an integer from 1 to 65535");
    }
    out.port = static_cast<uint16_t>(value);
  }
  if (auto url = env("ROUTERLY_PUBLIC_URL")) {
    if (!checks::is_http_url(*url)) return bad_env("ROUTERLY_PUBLIC_URL", "an http(s) URL");
    out.public_url = std::move(url);
  }
  if (auto level = env("ROUTERLY_LOG_LEVEL")) {
    if (!checks::is_one_of(*level, {"trace", "debug", "info", "warn", "error"})) {
      return bad_env("ROUTERLY_LOG_LEVEL", "one of trace, debug, info, warn, error");
    }
    out.log_level = std::move(level);
  }
  return out;
}

boost::json::object apply_overrides(boost::json::object settings, const Overrides& overrides) {
  if (overrides.host) settings["host"] = *overrides.host;
  if (overrides.port) settings["port"] = static_cast<int64_t>(*overrides.port);
  if (overrides.public_url) settings["publicUrl"] = *overrides.public_url;
  if (overrides.log_level) settings["logLevel"] = *overrides.log_level;
  return settings;
}

}  // namespace routerly::config
