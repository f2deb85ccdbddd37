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
Result<std::string> from_hex(std::string_view hex);  // either case; validation_error on bad input

std::string sha256(std::string_view data);                             // 32 raw bytes
std::string sha256_hex(std::string_view data);                         // 64 lowercase hex chars
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
// Different lengths → false at once (lengths are public); equal lengths compare in constant time.
bool constant_time_equal(std::string_view a, std::string_view b);

std::string base64_encode(std::string_view data);
Result<std::string> base64_decode(std::string_view text);     // strict: padding required
std::string base64url_encode(std::string_view data);          // no padding
Result<std::string> base64url_decode(std::string_view text);  // strict: padding rejected

// Derives a 32-byte subkey of `master` for one purpose ("jwt", "provider-keys", ...).
// HMAC-SHA256(master, "routerly/" + purpose).
std::string derive_key(std::string_view master, std::string_view purpose);

// Authenticated encryption (XChaCha20-Poly1305-IETF, random 24-byte nonce per seal).
// Sealed form: "v1:" + base64(nonce || ciphertext || tag). `open` never throws: an unknown
// prefix or bad encoding → validation_error; wrong key or tampering → internal_error.
class SecretBox {
 public:
  // Throws std::invalid_argument unless the key is exactly 32 bytes (a start-up error).
  explicit SecretBox(std::string key32);
  std::string seal(std::string_view plaintext) const;
  Result<std::string> open(std::string_view sealed) const;

 private:
  std::string key_;
};

// argon2id (libsodium's crypto_pwhash_str_alg, opslimit 2, memlimit 19 MiB). Blocking,
// ~tens of ms: never call on an I/O thread. Throws std::runtime_error only when the memory
// cannot be allocated. verify_password is false for a wrong password or a malformed hash.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view stored_hash, std::string_view password);

}  // namespace routerly::crypto
