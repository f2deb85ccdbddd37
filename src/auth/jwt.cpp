#include "auth/jwt.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>

#include "common/crypto.hpp"

namespace routerly::auth {

namespace {

// The only header this gateway issues or accepts (SPEC §00.1).
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";

std::unexpected<Error> invalid() {
  return fail(ErrorCode::unauthorized, "invalid token");
}

std::optional<boost::json::object> decode_object(std::string_view part) {
  auto raw = crypto::base64url_decode(part);
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(*raw, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::optional<std::string> string_claim(const boost::json::object& payload, std::string_view name) {
  const auto* v = payload.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<int64_t> int_claim(const boost::json::object& payload, std::string_view name) {
  const auto* v = payload.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

std::string signature(std::string_view signing_input, std::string_view key) {
  return crypto::base64url_encode(crypto::hmac_sha256(key, signing_input));
}

}  // namespace

std::string sign_jwt(const Claims& claims, std::string_view key) {
  boost::json::object payload;
  payload["sub"] = claims.sub;
  payload["role"] = claims.role;
  payload["sid"] = claims.sid;
  payload["jti"] = claims.jti;
  payload["iat"] = claims.iat;
  payload["exp"] = claims.exp;
  std::string token = crypto::base64url_encode(kHeaderJson);
  token += '.';
  token += crypto::base64url_encode(boost::json::serialize(payload));
  const std::string sig = signature(token, key);
  token += '.';
  token += sig;
  return token;
}

Result<Claims> verify_jwt(std::string_view token, std::string_view key, int64_t now_s) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return invalid();
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return invalid();
  }
  const std::string_view header_part = token.substr(0, first);
  const std::string_view payload_part = token.substr(first + 1, second - first - 1);
  const std::string_view signing_input = token.substr(0, second);
  const std::string_view sig_part = token.substr(second + 1);

  // The algorithm is fixed, never taken from the token: anything but HS256 ("none" included)
  // is refused before any signature work.
  const auto header = decode_object(header_part);
  if (!header) return invalid();
  const auto* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->get_string() != "HS256") return invalid();
  const auto* typ = header->if_contains("typ");
  if (typ != nullptr && (!typ->is_string() || typ->get_string() != "JWT")) return invalid();

  // Comparing the canonical encodings also rejects alternative spellings of the same bytes.
  if (!crypto::constant_time_equal(signature(signing_input, key), sig_part)) return invalid();

  const auto payload = decode_object(payload_part);
  if (!payload) return invalid();
  Claims claims;
  auto sub = string_claim(*payload, "sub");
  auto sid = string_claim(*payload, "sid");
  auto jti = string_claim(*payload, "jti");
  const auto exp = int_claim(*payload, "exp");
  if (!sub || !sid || !jti || !exp) return invalid();
  if (*exp <= now_s) return fail(ErrorCode::unauthorized, "token expired");
  claims.sub = std::move(*sub);
  claims.sid = std::move(*sid);
  claims.jti = std::move(*jti);
  claims.role = string_claim(*payload, "role").value_or("");
  claims.iat = int_claim(*payload, "iat").value_or(0);
  claims.exp = *exp;
  return claims;
}

}  // namespace routerly::auth
