#include "common/crypto.hpp"

#include <gtest/gtest.h>

#include <set>

namespace routerly::crypto {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initialize(); }
};

TEST_F(CryptoTest, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256("abc").size(), 32U);
  EXPECT_EQ(to_hex(sha256("abc")), sha256_hex("abc"));
}

TEST_F(CryptoTest, HmacSha256Rfc4231) {
  // Case 2: short key.
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Case 6: key longer than the block size is hashed first.
  EXPECT_EQ(
      to_hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_F(CryptoTest, HexRoundTripAndErrors) {
  const std::string bytes("\x00\x01\xab\xff", 4);
  EXPECT_EQ(to_hex(bytes), "0001abff");
  ASSERT_TRUE(from_hex("0001abff").has_value());
  EXPECT_EQ(*from_hex("0001abff"), bytes);
  EXPECT_EQ(*from_hex("0001ABFF"), bytes);
  EXPECT_EQ(*from_hex(""), "");
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
  EXPECT_FALSE(from_hex("00 1").has_value());
  EXPECT_EQ(from_hex("xx").error().code, ErrorCode::validation_error);
}

TEST_F(CryptoTest, RandomBytesAndHex) {
  EXPECT_EQ(random_bytes(0).size(), 0U);
  EXPECT_EQ(random_bytes(48).size(), 48U);
  const std::string hex = random_hex(16);
  EXPECT_EQ(hex.size(), 32U);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(random_hex(16), random_hex(16));
}

TEST_F(CryptoTest, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret2"));
  EXPECT_FALSE(constant_time_equal("", "a"));
}

TEST_F(CryptoTest, Base64KnownValuesAndRoundTrip) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("\xfb\xff\xfe"), "+//+");
  EXPECT_EQ(base64url_encode("\xfb\xff\xfe"), "-__-");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode(R"({"alg":"HS256","typ":"JWT"})"), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");

  for (std::size_t n = 0; n < 70; ++n) {
    const std::string data = random_bytes(n);
    auto b64 = base64_decode(base64_encode(data));
    ASSERT_TRUE(b64.has_value()) << n;
    EXPECT_EQ(*b64, data);
    auto b64url = base64url_decode(base64url_encode(data));
    ASSERT_TRUE(b64url.has_value()) << n;
    EXPECT_EQ(*b64url, data);
  }
}

TEST_F(CryptoTest, Base64RejectsInvalidInput) {
  EXPECT_FALSE(base64_decode("Zg").has_value());  // padding required
  EXPECT_FALSE(base64_decode("Zg=").has_value());
  EXPECT_FALSE(base64_decode("Z!==").has_value());
  EXPECT_FALSE(base64_decode("-__-").has_value());  // url alphabet in standard decoder
  EXPECT_FALSE(base64_decode("Zm9v\n").has_value());
  EXPECT_FALSE(base64url_decode("Zg==").has_value());  // no padding in base64url
  EXPECT_FALSE(base64url_decode("+//+").has_value());
  EXPECT_FALSE(base64url_decode("Z").has_value());
  EXPECT_FALSE(base64url_decode("Zh").has_value());  // non-zero trailing bits
  EXPECT_EQ(base64url_decode("a.b").error().code, ErrorCode::validation_error);
}

TEST_F(CryptoTest, DeriveKeyIsPurposeBound) {
  const std::string master = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const std::string jwt = derive_key(master, "jwt");
  EXPECT_EQ(jwt.size(), 32U);
  EXPECT_EQ(jwt, derive_key(master, "jwt"));
  EXPECT_EQ(jwt, hmac_sha256(master, "routerly/jwt"));
  EXPECT_NE(jwt, derive_key(master, "provider-keys"));
  EXPECT_NE(jwt, derive_key(master + "0", "jwt"));
}

TEST_F(CryptoTest, SecretBoxRoundTrip) {
  const SecretBox box(random_bytes(32));
  for (const std::string& plain : {std::string(), std::string("sk-provider-key"), random_bytes(1000)}) {
    const std::string sealed = box.seal(plain);
    EXPECT_TRUE(sealed.starts_with("v1:"));
    EXPECT_EQ(sealed.find(plain.empty() ? "\x01" : plain), std::string::npos);
    auto opened = box.open(sealed);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_EQ(*opened, plain);
  }
  // A fresh nonce every time.
  EXPECT_NE(box.seal("same"), box.seal("same"));
}

TEST_F(CryptoTest, SecretBoxRejectsTamperingWrongKeyAndBadFormat) {
  const SecretBox box(random_bytes(32));
  const std::string sealed = box.seal("api-key-123");

  auto blob = *base64_decode(sealed.substr(3));
  for (std::size_t i = 0; i < blob.size(); i += 7) {
    std::string tampered = blob;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_FALSE(box.open("v1:" + base64_encode(tampered)).has_value()) << i;
  }
  EXPECT_FALSE(box.open("v1:" + base64_encode(blob.substr(0, blob.size() - 1))).has_value());

  const SecretBox other(random_bytes(32));
  EXPECT_FALSE(other.open(sealed).has_value());

  EXPECT_FALSE(box.open("v2:" + sealed.substr(3)).has_value());
  EXPECT_FALSE(box.open(sealed.substr(3)).has_value());
  EXPECT_FALSE(box.open("v1:not base64!").has_value());
  EXPECT_FALSE(box.open("v1:").has_value());
  EXPECT_FALSE(box.open("").has_value());

  EXPECT_THROW(SecretBox(std::string(16, 'k')), std::invalid_argument);
}

TEST_F(CryptoTest, PasswordHashing) {
  const std::string hash = hash_password("correct horse battery");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_NE(hash.find("m=19456,t=2"), std::string::npos) << hash;
  EXPECT_TRUE(verify_password(hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(hash, "correct horse batterY"));
  EXPECT_FALSE(verify_password(hash, ""));
  EXPECT_NE(hash, hash_password("correct horse battery"));  // salted

  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("$2b$12$abcdefghijklmnopqrstuv", "x"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "x"));
  EXPECT_FALSE(verify_password(hash.substr(0, hash.size() - 5), "correct horse battery"));
  EXPECT_FALSE(verify_password(std::string(hash) + std::string(1, '\0'), "correct horse battery"));
}

}  // namespace
}  // namespace routerly::crypto
