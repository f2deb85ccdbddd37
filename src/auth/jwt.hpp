#pragma once
// Standard three-part HS256 JWT (SPEC §00.1, P4).
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::auth {

struct Claims {
  std::string sub;   // user id
  std::string role;  // role id at issue time (informational)
  std::string sid;   // session id (refresh-token family); logout revokes it
  std::string jti;
  int64_t iat = 0;   // seconds
  int64_t exp = 0;   // seconds
};

inline constexpr int64_t kAccessTokenSeconds = 86400;

std::string sign_jwt(const Claims& claims, std::string_view key);
// Verifies signature (constant time), header alg/typ, and exp > now. unauthorized otherwise.
Result<Claims> verify_jwt(std::string_view token, std::string_view key, int64_t now_s);

}  // namespace routerly::auth
