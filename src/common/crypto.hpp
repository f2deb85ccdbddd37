#pragma once
// Cryptographic primitives (libsodium + OpenSSL). No policy here: callers decide what to
// hash, encrypt or sign. Every comparison of secrets goes through constant_time_equal.
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::crypto {

// Must be called once before any other function (idempotent, thread-safe).
void initialize();

std::string random_bytes(std::size_t count);
std::string random_hex(std::size_t byte_count);  // 2*byte_count lowercase hex chars
std::string to_hex(std::string_view bytes);
Result<std::string> from_hex(std::string_view hex);

std::string sha256(std::string_view data);      // 32 raw bytes
std::string sha256_hex(std::string_view data);  // 64 lowercase hex chars
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
bool constant_time_equal(std::string_view a, std::string_view b);

std::string base64_encode(std::string_view data);
Result<std::string> base64_decode(std::string_view text);
std::string base64url_encode(std::string_view data);  // no padding
Result<std::string> base64url_decode(std::string_view text);

// Derives a 32-byte subkey of `master` for one purpose ("jwt", "provider-keys", ...).
std::string derive_key(std::string_view master, std::string_view purpose);

// Authenticated encryption (XChaCha20-Poly1305). Sealed form: "v1:" + base64(nonce || ciphertext).
class SecretBox {
 public:
  explicit SecretBox(std::string key32);
  std::string seal(std::string_view plaintext) const;
  Result<std::string> open(std::string_view sealed) const;

 private:
  std::string key_;
};

// argon2id (libsodium's crypto_pwhash_str, moderate limits). Blocking, ~tens of ms:
// never call on an I/O thread.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view stored_hash, std::string_view password);

}  // namespace routerly::crypto
