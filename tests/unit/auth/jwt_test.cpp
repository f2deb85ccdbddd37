#include "auth/jwt.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/crypto.hpp"

namespace routerly::auth {
namespace {

constexpr int64_t kNow = 1'768'473'000;

class JwtTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::initialize(); }

  Claims sample() const {
    Claims c;
    c.sub = "user-1";
    c.role = "admin";
    c.sid = "session-1";
    c.jti = "jti-1";
    c.iat = kNow;
    c.exp = kNow + kAccessTokenSeconds;
    return c;
  }

  std::vector<std::string> parts(const std::string& token) const {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
      out.push_back(token.substr(start, dot - start));
    }
    out.push_back(token.substr(start));
    return out;
  }

  // A token with arbitrary header/payload JSON, correctly signed with `key`.
  std::string forge(std::string_view header, std::string_view payload, std::string_view key) const {
    std::string input = crypto::base64url_encode(header) + "." + crypto::base64url_encode(payload);
    return input + "." + crypto::base64url_encode(crypto::hmac_sha256(key, input));
  }

  std::string payload_json(int64_t exp) const {
    return R"({"sub":"u","role":"admin","sid":"s","jti":"j","iat":1,"exp":)" + std::to_string(exp) + "}";
  }

  const std::string key_ = crypto::random_bytes(32);
};

TEST_F(JwtTest, RoundTrip) {
  const std::string token = sign_jwt(sample(), key_);
  auto claims = verify_jwt(token, key_, kNow);
  ASSERT_TRUE(claims.has_value()) << claims.error().message;
  EXPECT_EQ(claims->sub, "user-1");
  EXPECT_EQ(claims->role, "admin");
  EXPECT_EQ(claims->sid, "session-1");
  EXPECT_EQ(claims->jti, "jti-1");
  EXPECT_EQ(claims->iat, kNow);
  EXPECT_EQ(claims->exp, kNow + 86400);
}

TEST_F(JwtTest, StandardThreePartShape) {
  const std::string token = sign_jwt(sample(), key_);
  const auto p = parts(token);
  ASSERT_EQ(p.size(), 3U);
  EXPECT_EQ(*crypto::base64url_decode(p[0]), R"({"alg":"HS256","typ":"JWT"})");
  EXPECT_EQ(token.find('='), std::string::npos);

  const auto payload = boost::json::parse(*crypto::base64url_decode(p[1])).as_object();
  EXPECT_EQ(payload.at("sub").as_string(), "user-1");
  EXPECT_EQ(payload.at("role").as_string(), "admin");
  EXPECT_EQ(payload.at("sid").as_string(), "session-1");
  EXPECT_EQ(payload.at("jti").as_string(), "jti-1");
  EXPECT_EQ(payload.at("iat").as_int64(), kNow);
  EXPECT_EQ(payload.at("exp").as_int64(), kNow + 86400);

  EXPECT_EQ(*crypto::base64url_decode(p[2]), crypto::hmac_sha256(key_, p[0] + "." + p[1]));
}

TEST_F(JwtTest, RejectsTamperedPayload) {
  const auto p = parts(sign_jwt(sample(), key_));
  auto payload = boost::json::parse(*crypto::base64url_decode(p[1])).as_object();
  payload["sub"] = "someone-else";
  const std::string forged =
      p[0] + "." + crypto::base64url_encode(boost::json::serialize(payload)) + "." + p[2];
  auto result = verify_jwt(forged, key_, kNow);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::unauthorized);
  EXPECT_EQ(result.error().message, "invalid token");
}

TEST_F(JwtTest, RejectsTamperedSignature) {
  const std::string token = sign_jwt(sample(), key_);
  const auto p = parts(token);
  std::string sig = *crypto::base64url_decode(p[2]);
  sig[0] = static_cast<char>(sig[0] ^ 0x01);
  EXPECT_FALSE(verify_jwt(p[0] + "." + p[1] + "." + crypto::base64url_encode(sig), key_, kNow).has_value());
  EXPECT_FALSE(verify_jwt(p[0] + "." + p[1] + ".", key_, kNow).has_value());
  EXPECT_FALSE(verify_jwt(p[0] + "." + p[1] + "." + p[2] + "A", key_, kNow).has_value());
  EXPECT_FALSE(verify_jwt(p[0] + "." + p[1] + "." + p[2] + "=", key_, kNow).has_value());
}

TEST_F(JwtTest, RejectsWrongKey) {
  const std::string token = sign_jwt(sample(), key_);
  auto result = verify_jwt(token, crypto::random_bytes(32), kNow);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::unauthorized);
}

TEST_F(JwtTest, RejectsAlgNoneAndOtherAlgorithms) {
  const std::string payload = crypto::base64url_encode(payload_json(kNow + 100));
  // Unsigned "none" tokens, with and without a trailing empty signature.
  const std::string none = crypto::base64url_encode(R"({"alg":"none","typ":"JWT"})");
  EXPECT_FALSE(verify_jwt(none + "." + payload + ".", key_, kNow).has_value());
  EXPECT_FALSE(verify_jwt(none + "." + payload, key_, kNow).has_value());
  // Even correctly HMAC-signed, a header that does not say HS256 is refused.
  EXPECT_FALSE(verify_jwt(forge(R"({"alg":"none","typ":"JWT"})", payload_json(kNow + 100), key_), key_, kNow)
                   .has_value());
  EXPECT_FALSE(verify_jwt(forge(R"({"alg":"HS512","typ":"JWT"})", payload_json(kNow + 100), key_), key_, kNow)
                   .has_value());
  EXPECT_FALSE(verify_jwt(forge(R"({"alg":"hs256","typ":"JWT"})", payload_json(kNow + 100), key_), key_, kNow)
                   .has_value());
  EXPECT_FALSE(verify_jwt(forge(R"({"typ":"JWT"})", payload_json(kNow + 100), key_), key_, kNow).has_value());
  EXPECT_FALSE(verify_jwt(forge(R"({"alg":"HS256","typ":"JWS"})", payload_json(kNow + 100), key_), key_, kNow)
                   .has_value());
  // The control: the same forge with the right header verifies.
  EXPECT_TRUE(verify_jwt(forge(R"({"alg":"HS256","typ":"JWT"})", payload_json(kNow + 100), key_), key_, kNow)
                  .has_value());
}

TEST_F(JwtTest, RejectsExpired) {
  Claims c = sample();
  c.exp = kNow;
  auto at_exp = verify_jwt(sign_jwt(c, key_), key_, kNow);
  ASSERT_FALSE(at_exp.has_value());
  EXPECT_EQ(at_exp.error().code, ErrorCode::unauthorized);
  EXPECT_EQ(at_exp.error().message, "token expired");
  EXPECT_FALSE(verify_jwt(sign_jwt(c, key_), key_, kNow + 5000).has_value());
  EXPECT_TRUE(verify_jwt(sign_jwt(c, key_), key_, kNow - 1).has_value());
}

TEST_F(JwtTest, RejectsMalformedStructureAndClaims) {
  const std::string token = sign_jwt(sample(), key_);
  for (const std::string& bad :
       {std::string(), std::string("abc"), std::string("a.b"), std::string("a.b.c.d"), token + ".",
        "." + token, std::string(".."), std::string("!!.??.**")}) {
    EXPECT_FALSE(verify_jwt(bad, key_, kNow).has_value()) << bad;
  }
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  for (const std::string& payload :
       {std::string(R"({"role":"admin","sid":"s","jti":"j","exp":9999999999})"),  // no sub
        std::string(R"({"sub":"u","role":"admin","jti":"j","exp":9999999999})"),  // no sid
        std::string(R"({"sub":"u","role":"admin","sid":"s","exp":9999999999})"),  // no jti
        std::string(R"({"sub":"u","role":"admin","sid":"s","jti":"j"})"),         // no exp
        std::string(R"({"sub":"u","sid":"s","jti":"j","exp":"9999999999"})"),     // string exp
        std::string(R"({"sub":"u","sid":"s","jti":"j","exp":9999999999.5})"),     // float exp
        std::string(R"({"sub":7,"sid":"s","jti":"j","exp":9999999999})"),         // numeric sub
        std::string(R"(["sub","u"])"), std::string("not json"), std::string()}) {
    EXPECT_FALSE(verify_jwt(forge(header, payload, key_), key_, kNow).has_value()) << payload;
  }
}

}  // namespace
}  // namespace routerly::auth
