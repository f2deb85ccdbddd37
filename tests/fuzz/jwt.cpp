// JWTs from the Authorization header or the session cookie: verification of arbitrary bytes
// under a fixed key, and a sign → verify round trip of claims taken from the input.
#include "harness.hpp"

#include <string>

#include "auth/jwt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  static constexpr std::string_view kKey = "fuzz-signing-key-0123456789abcdef0123456789abcdef";
  const std::string_view text = fuzz::as_text(data, size);
  const int64_t now = 1'800'000'000;

  if (auto claims = auth::verify_jwt(text, kKey, now)) {
    fuzz::fuzz_require(claims->exp > now, "a verified token has not expired");
  }
  (void)auth::verify_jwt(text, "", now);

  // Claims from the input: every field is free text a caller could influence.
  auth::Claims claims;
  const size_t quarter = text.size() / 4;
  claims.sub = std::string(text.substr(0, quarter));
  claims.role = std::string(text.substr(quarter, quarter));
  claims.sid = std::string(text.substr(2 * quarter, quarter));
  claims.jti = std::string(text.substr(3 * quarter));
  claims.iat = now - 10;
  claims.exp = now + 60;
  const std::string token = auth::sign_jwt(claims, kKey);
  auto back = auth::verify_jwt(token, kKey, now);
  fuzz::fuzz_require(back.has_value(), "a token we signed verifies");
  fuzz::fuzz_require(back->sub == claims.sub && back->role == claims.role && back->sid == claims.sid &&
                         back->jti == claims.jti && back->iat == claims.iat && back->exp == claims.exp,
                     "claims survive a sign/verify round trip");
  fuzz::fuzz_require(!auth::verify_jwt(token, "another-key", now).has_value(), "another key does not verify");
  return 0;
}
