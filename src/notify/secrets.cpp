#include "notify/secrets.hpp"

#include <spdlog/spdlog.h>

#include <string>

#include "config/settings.hpp"

namespace routerly::notify {

namespace json = boost::json;

void seal_channel_secrets(json::object& settings, const crypto::SecretBox& box) {
  auto* n = settings.if_contains("notifications");
  if (n == nullptr || !n->is_object()) return;
  auto* channels = n->as_object().if_contains("channels");
  if (channels == nullptr || !channels->is_array()) return;
  for (auto& c : channels->as_array()) {
    if (!c.is_object()) continue;
    json::object& channel = c.as_object();
    for (std::string_view key : config::kChannelSecretFields) {
      const auto* plain = channel.if_contains(key);
      if (plain == nullptr || !plain->is_string()) continue;
      if (!plain->as_string().empty()) channel[std::string(key) + "Enc"] = box.seal(plain->as_string());
      channel.erase(key);
    }
  }
}

json::object open_channel_secrets(json::object channel, const crypto::SecretBox* box) {
  for (std::string_view key : config::kChannelSecretFields) {
    const std::string enc = std::string(key) + "Enc";
    const auto* sealed = channel.if_contains(enc);
    if (sealed == nullptr) continue;
    std::string value;
    if (box != nullptr && sealed->is_string()) {
      auto opened = box->open(sealed->as_string());
      if (opened) value = std::move(*opened);
    }
    if (value.empty())
      spdlog::warn("notification channel secret '{}' cannot be opened with this server's key", key);
    channel.erase(enc);
    channel[key] = value;
  }
  return channel;
}

}  // namespace routerly::notify
