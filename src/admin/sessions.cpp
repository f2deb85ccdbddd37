// Session lifecycle (SPEC §00 P4, P5): login, refresh-token rotation, logout, first-admin setup.
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/views.hpp"
#include "auth/jwt.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/ids.hpp"
#include "http/exchange.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

constexpr int64_t kRefreshIdleMs = int64_t{30} * 24 * 3600 * 1000;  // refresh tokens die after 30 days unused

struct Issued {
  std::string jwt;
  std::string refresh_token;
};

std::string sign_for(Context& ctx, const json::object& user, const std::string& session_id) {
  auth::Claims claims;
  claims.sub = accounts::text(user, "id");
  claims.role = accounts::text(user, "roleId");
  claims.sid = session_id;
  claims.jti = ids::uuid_v4();
  claims.iat = clock::now_s();
  claims.exp = claims.iat + auth::kAccessTokenSeconds;
  return auth::sign_jwt(claims, ctx.jwt_key);
}

// A new session: random refresh token (only its hash is stored) plus a JWT bound to the session id.
Result<Issued> open_session(Context& ctx, const json::object& user) {
  int64_t now = clock::now_ms();
  store::Session session{ids::uuid_v4(), std::string(accounts::text(user, "id")), now, now, false};
  std::string refresh = crypto::random_hex(32);
  if (auto created = ctx.store.create_session(session, crypto::sha256_hex(refresh)); !created)
    return std::unexpected(created.error());
  return Issued{sign_for(ctx, user, session.id), std::move(refresh)};
}

// Makes a wrong email cost about as much as a wrong password, so timing does not reveal accounts.
void burn_password_check(std::string_view password) {
  static const std::string dummy_hash = crypto::hash_password("routerly-no-such-account");
  (void)crypto::verify_password(dummy_hash, password);
}

struct Credentials {
  std::string email, password;
};

Result<Credentials> read_credentials(http::Request& req) {
  auto body = parse_object(req);
  if (!body) return std::unexpected(body.error());
  auto email = req_string(*body, "email");
  if (!email) return std::unexpected(email.error());
  auto password = req_string(*body, "password");
  if (!password) return std::unexpected(password.error());
  return Credentials{std::move(*email), std::move(*password)};
}

// The password check proper (argon2: on the blocking pool).
http::Response check_login(Context& ctx, const Credentials& c, const std::string& account,
                           const std::string& address) {
  auto snap = ctx.config.current();
  const json::object* user = snap->user_by_email(c.email);
  bool ok = false;
  if (user == nullptr) {
    burn_password_check(c.password);
  } else {
    ok = crypto::verify_password(accounts::text(*user, "passwordHash"), c.password);
  }
  if (!ok) {
    ctx.throttle.record_failure(account, address, clock::now_ms());
    return respond({ErrorCode::unauthorized, "invalid email or password"});
  }
  auto issued = open_session(ctx, *user);
  if (!issued) return respond(issued.error());
  return http::Response::json(200, session_view(*snap, *user, issued->jwt, issued->refresh_token));
}

// Blocked (account, address) pairs and addresses are refused before the password is looked at,
// so a correct password does not bypass a block. An account under attack from elsewhere is
// only answered more slowly; the wait is a timer on the connection's strand, holding no thread.
boost::asio::awaitable<void> login(Context& ctx, http::Exchange& exchange) {
  http::Request& req = exchange.request();
  auto credentials = read_credentials(req);
  if (!credentials) {
    co_await exchange.respond(respond(credentials.error()));
    co_return;
  }
  const std::string account = accounts::ascii_lower(credentials->email);
  const std::string address = client_address(ctx, req);
  const auto verdict = ctx.throttle.check(account, address, clock::now_ms());
  if (verdict.blocked_seconds > 0) {
    co_await exchange.respond(too_many_attempts(verdict.blocked_seconds));
    co_return;
  }
  if (verdict.delay_ms > 0) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                    std::chrono::milliseconds(verdict.delay_ms));
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::bind_cancellation_slot(
        exchange.disconnect_slot(), boost::asio::redirect_error(boost::asio::use_awaitable, ec)));
    if (exchange.client_gone()) co_return;
  }
  co_await exchange.respond(
      co_await exchange.run_blocking([&] { return check_login(ctx, *credentials, account, address); }));
}

http::Response refresh(Context& ctx, http::Request& req) {
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto token = req_string(*body, "refreshToken");
  if (!token) return respond(token.error());

  // Guessing refresh tokens counts against the address like guessing passwords.
  const std::string address = client_address(ctx, req);
  if (auto verdict = ctx.throttle.check({}, address, clock::now_ms()); verdict.blocked_seconds > 0)
    return too_many_attempts(verdict.blocked_seconds);
  std::string hash = crypto::sha256_hex(*token);
  auto found = ctx.store.find_refresh(hash);
  if (!found) return respond(found.error());
  if (!*found) {
    ctx.throttle.record_address_failure(address, clock::now_ms());
    return respond({ErrorCode::unauthorized, "invalid refresh token"});
  }
  const store::Session& session = (*found)->session;
  if (session.revoked) return respond({ErrorCode::unauthorized, "session has ended; log in again"});

  // An already rotated token in use again means it leaked: end the whole session family.
  auto revoke_with = [&](std::string message) {
    if (auto r = ctx.store.revoke_session(session.id); !r) return respond(r.error());
    return respond({ErrorCode::unauthorized, std::move(message)});
  };
  if ((*found)->superseded)
    return revoke_with("refresh token was already used; the session has been revoked");

  int64_t now = clock::now_ms();
  if (now - session.last_used_ms > kRefreshIdleMs) return revoke_with("refresh token expired; log in again");

  auto snap = ctx.config.current();
  const json::object* user = snap->user(session.user_id);
  if (user == nullptr) return revoke_with("user no longer exists");

  std::string next = crypto::random_hex(32);
  auto rotated = ctx.store.rotate_refresh(session.id, hash, crypto::sha256_hex(next), now);
  if (!rotated) return respond(rotated.error());
  // Losing a concurrent rotation means two clients presented the same token: treat as reuse.
  if (!*rotated) return revoke_with("refresh token was already used; the session has been revoked");
  return http::Response::json(200, session_view(*snap, *user, sign_for(ctx, *user, session.id), next));
}

http::Response logout(Context& ctx, http::Request& req) {
  auto caller = authenticate(ctx, req);
  if (!caller) return respond(caller.error());
  // Optional {refreshToken}: also ends the session it belongs to, when that is the caller's.
  if (!req.body.empty()) {
    auto body = parse_object(req);
    if (!body) return respond(body.error());
    auto token = opt_string(*body, "refreshToken");
    if (!token) return respond(token.error());
    if (*token && !(*token)->empty()) {
      auto found = ctx.store.find_refresh(crypto::sha256_hex(**token));
      if (!found) return respond(found.error());
      if (*found && (*found)->session.user_id == caller->user_id()) {
        if (auto r = ctx.store.revoke_session((*found)->session.id); !r) return respond(r.error());
      }
    }
  }
  if (auto r = ctx.store.revoke_session(caller->claims.sid); !r) return respond(r.error());
  return http::Response::no_content();
}

// Setup stays open until an admin who can actually sign in exists: admins restored by
// `config import` carry no password hash and must not lock the installation.
bool admin_exists(const store::ConfigDocuments& docs) {
  for (const auto& user : docs.users) {
    const auto* role = user.if_contains("roleId");
    const auto* hash = user.if_contains("passwordHash");
    if (role && role->is_string() && role->as_string() == "admin" && hash && hash->is_string() &&
        hash->as_string().starts_with("$argon2"))
      return true;
  }
  return false;
}

http::Response setup_status(Context& ctx, http::Request&) {
  bool configured = admin_exists(ctx.config.current()->docs);
  return http::Response::json(200, json::object{{"configured", configured}, {"needsSetup", !configured}});
}

http::Response first_admin(Context& ctx, http::Request& req) {
  constexpr std::string_view kDone = "setup already completed: an admin user exists";
  if (admin_exists(ctx.config.current()->docs)) return respond({ErrorCode::forbidden, std::string(kDone)});
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto email = req_string(*body, "email");
  if (!email) return respond(email.error());
  if (auto ok = accounts::check_email(*email, "email"); !ok) return respond(ok.error());
  auto password = req_string(*body, "password");
  if (!password) return respond(password.error());
  if (auto ok = accounts::check_password(*password, "password"); !ok) return respond(ok.error());

  // Hash outside the config write lock; the update re-checks that nobody won the race.
  std::string password_hash = crypto::hash_password(*password);
  json::object user{{"id", ids::uuid_v4()},
                    {"email", *email},
                    {"passwordHash", password_hash},
                    {"roleId", "admin"},
                    {"createdAt", clock::iso_now()}};
  auto created = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    if (admin_exists(d.docs())) return fail(ErrorCode::forbidden, std::string(kDone));
    if (accounts::email_taken(d.docs(), *email))
      return fail(ErrorCode::conflict, "field 'email': '" + *email + "' is already in use");
    d.upsert(store::Collection::users, user);
    return user;
  });
  if (!created) return respond(created.error());
  auto issued = open_session(ctx, *created);
  if (!issued) return respond(issued.error());
  return http::Response::json(
      201, session_view(*ctx.config.current(), *created, issued->jwt, issued->refresh_token));
}

}  // namespace

bool needs_setup(const store::ConfigDocuments& docs) { return !admin_exists(docs); }

void register_session_routes(http::Router& r, Context& ctx) {
  r.add_async("POST", "/api/auth/login", [&ctx](http::Exchange& exchange) { return login(ctx, exchange); });
  r.add("POST", "/api/auth/refresh", [&ctx](http::Request& req) { return refresh(ctx, req); });
  r.add("POST", "/api/auth/logout", [&ctx](http::Request& req) { return logout(ctx, req); });
  r.add("GET", "/api/setup/status", [&ctx](http::Request& req) { return setup_status(ctx, req); });
  r.add("POST", "/api/setup/first-admin", [&ctx](http::Request& req) { return first_admin(ctx, req); });
}

}  // namespace routerly::admin
