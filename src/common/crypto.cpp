#include "common/crypto.hpp"

#include <sodium.h>

#include <mutex>
#include <stdexcept>

namespace routerly::crypto {

namespace {

// libsodium rejects null pointers in a few places even for zero lengths.
const unsigned char* bytes_of(std::string_view s) {
  static const unsigned char kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

std::string encode(std::string_view data, int variant) {
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes_of(data), data.size(), variant);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

Result<std::string> decode(std::string_view text, int variant, const char* what) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  const char* begin = text.empty() ? "" : text.data();
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), begin, text.size(), nullptr,
                        &len, &end, variant) != 0 ||
      end != begin + text.size()) {
    return fail(ErrorCode::validation_error, std::string("invalid ") + what);
  }
  out.resize(len);
  return out;
}

// Argon2id parameters: OWASP's minimum recommendation for argon2id (19 MiB, 2 passes).
// Kept at the minimum so that concurrent logins stay cheap in memory.
constexpr unsigned long long kPwhashOpsLimit = 2;
constexpr std::size_t kPwhashMemLimit = 19U * 1024U * 1024U;

constexpr std::string_view kSealPrefix = "v1:";
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

}  // namespace

void initialize() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  });
}

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (count > 0) randombytes_buf(out.data(), count);
  return out;
}

std::string random_hex(std::size_t byte_count) {
  return to_hex(random_bytes(byte_count));
}

std::string to_hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes_of(bytes), bytes.size());
  out.resize(bytes.size() * 2);
  return out;
}

Result<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return fail(ErrorCode::validation_error, "invalid hex: odd length");
  std::string out(hex.size() / 2, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  const char* begin = hex.empty() ? "" : hex.data();
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), begin, hex.size(), nullptr,
                     &len, &end) != 0 ||
      end != begin + hex.size() || len != out.size()) {
    return fail(ErrorCode::validation_error, "invalid hex");
  }
  return out;
}

std::string sha256(std::string_view data) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()), bytes_of(data), data.size());
  return out;
}

std::string sha256_hex(std::string_view data) {
  return to_hex(sha256(data));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  // The streaming API accepts keys of any length (RFC 2104: longer keys are hashed first).
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(data), data.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  sodium_memzero(&state, sizeof state);
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Lengths are not secret (tokens and digests have fixed public sizes); contents are.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64_encode(std::string_view data) {
  return encode(data, sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> base64_decode(std::string_view text) {
  return decode(text, sodium_base64_VARIANT_ORIGINAL, "base64");
}

std::string base64url_encode(std::string_view data) {
  return encode(data, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

Result<std::string> base64url_decode(std::string_view text) {
  return decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING, "base64url");
}

std::string derive_key(std::string_view master, std::string_view purpose) {
  // HMAC-SHA256 as a PRF over a namespaced label: distinct purposes give independent keys.
  std::string label = "routerly/";
  label.append(purpose);
  return hmac_sha256(master, label);
}

SecretBox::SecretBox(std::string key32) : key_(std::move(key32)) {
  if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    throw std::invalid_argument("SecretBox key must be 32 bytes");
  }
}

std::string SecretBox::seal(std::string_view plaintext) const {
  std::string blob(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(blob.data());
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long cipher_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, &cipher_len, bytes_of(plaintext),
                                             plaintext.size(), nullptr, 0, nullptr, nonce, bytes_of(key_));
  blob.resize(kNonceBytes + cipher_len);
  std::string sealed(kSealPrefix);
  sealed += base64_encode(blob);
  return sealed;
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  if (!sealed.starts_with(kSealPrefix)) {
    return fail(ErrorCode::validation_error, "sealed value has an unknown format");
  }
  auto blob = base64_decode(sealed.substr(kSealPrefix.size()));
  if (!blob || blob->size() < kNonceBytes + kTagBytes) {
    return fail(ErrorCode::validation_error, "sealed value is malformed");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(blob->data());
  const std::size_t cipher_len = blob->size() - kNonceBytes;
  std::string plain(cipher_len - kTagBytes, '\0');
  unsigned long long plain_len = 0;
  unsigned char scratch = 0;  // valid output pointer for an empty plaintext
  auto* out = plain.empty() ? &scratch : reinterpret_cast<unsigned char*>(plain.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &plain_len, nullptr, nonce + kNonceBytes, cipher_len,
                                                 nullptr, 0, nonce, bytes_of(key_)) != 0) {
    return fail(ErrorCode::internal_error, "sealed value failed authentication (wrong key or tampered)");
  }
  plain.resize(plain_len);
  return plain;
}

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.empty() ? "" : password.data(), password.size(), kPwhashOpsLimit,
                            kPwhashMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // Only fails when the memory cannot be allocated: a server fault, not bad input.
    throw std::runtime_error("password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  // The stored string must be NUL-terminated and must not hide a NUL inside.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES ||
      stored_hash.find('\0') != std::string_view::npos || !stored_hash.starts_with("$argon2")) {
    return false;
  }
  const std::string terminated(stored_hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.empty() ? "" : password.data(),
                                  password.size()) == 0;
}

}  // namespace routerly::crypto
