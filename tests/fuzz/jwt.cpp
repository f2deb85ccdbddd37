// JWTs from the Authorization header or the session cookie: verification of arbitrary bytes
// under a fixed key, and a sign → verify round trip of claims taken from the input.
#include "harness.hpp"

#include <algorithm>
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

  // Claims from the input. The server fills them with its own ids, which are UTF-8 (a claim
  // that is not cannot round-trip through JSON, and its token would never verify).
  if (!fuzz::valid_utf8(text)) return 0;
  auth::Claims claims;
  // Four pieces, cut at character boundaries (never before a UTF-8 continuation byte).
  size_t cut[5] = {0, 0, 0, 0, text.size()};
  for (size_t i = 1; i < 4; ++i) {
    size_t at = std::max(cut[i - 1], text.size() * i / 4);
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
    cut[i] = at;
  }
  claims.sub = std::string(text.substr(cut[0], cut[1] - cut[0]));
  claims.role = std::string(text.substr(cut[1], cut[2] - cut[1]));
  claims.sid = std::string(text.substr(cut[2], cut[3] - cut[2]));
  claims.jti = std::string(text.substr(cut[3], cut[4] - cut[3]));
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
