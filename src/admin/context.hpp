#pragma once
// Everything the management handlers use. Owned by the serve composition root.
#include <cstdint>
#include <string>

#include "auth/login_throttle.hpp"
#include "common/crypto.hpp"
#include "config/paths.hpp"
#include "config/snapshot.hpp"
#include "store/store.hpp"

namespace routerly::notify {
class Notifier;
}

namespace routerly::admin {

struct Context {
  config::ConfigService& config;
  store::Store& store;
  const crypto::SecretBox& key_box;  // seals provider API keys and channel passwords
  std::string jwt_key;               // derived from the master secret
  auth::LoginThrottle& throttle;
  const config::Paths& paths;
  int64_t started_ms = 0;
  notify::Notifier* notifier = nullptr;  // test sends (POST /api/notifications/test)
};

}  // namespace routerly::admin
