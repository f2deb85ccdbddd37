// The caller's own account: GET/PUT /api/me.
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/views.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

http::Response get_me(Context& ctx, http::Request& req) {
  auto caller = authenticate(ctx, req);
  if (!caller) return respond(caller.error());
  return http::Response::json(200, user_view(caller->snap->docs, *caller->user));
}

http::Response put_me(Context& ctx, http::Request& req) {
  auto caller = authenticate(ctx, req);
  if (!caller) return respond(caller.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto current = req_string(*body, "currentPassword");
  if (!current) return respond(current.error());
  auto new_email = opt_string(*body, "newEmail");
  if (!new_email) return respond(new_email.error());
  auto new_password = opt_string(*body, "newPassword");
  if (!new_password) return respond(new_password.error());
  if (*new_email) {
    if (auto ok = accounts::check_email(**new_email, "newEmail"); !ok) return respond(ok.error());
  }
  if (*new_password) {
    if (auto ok = accounts::check_password(**new_password, "newPassword"); !ok) return respond(ok.error());
  }
  // The current password is checked like a login: a stolen session must not become a way to
  // guess the password without limits.
  const std::string account = accounts::ascii_lower(accounts::text(*caller->user, "email"));
  const std::string address = client_address(ctx, req);
  if (auto verdict = ctx.throttle.check(account, address, clock::now_ms()); verdict.blocked_seconds > 0)
    return too_many_attempts(verdict.blocked_seconds);
  if (!crypto::verify_password(accounts::text(*caller->user, "passwordHash"), *current)) {
    ctx.throttle.record_failure(account, address, clock::now_ms());
    return respond({ErrorCode::validation_error, "field 'currentPassword' is incorrect"});
  }

  std::string new_hash = *new_password ? crypto::hash_password(**new_password) : std::string();
  std::string user_id = caller->user_id();
  auto updated = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    const json::object* stored = accounts::find_user(d.docs(), user_id);
    if (stored == nullptr) return fail(ErrorCode::unauthorized, "user no longer exists");
    json::object user = *stored;
    if (*new_email) {
      if (accounts::email_taken(d.docs(), **new_email, user_id))
        return fail(ErrorCode::conflict, "field 'newEmail': '" + **new_email + "' is already in use");
      user["email"] = **new_email;
    }
    if (!new_hash.empty()) user["passwordHash"] = new_hash;
    d.upsert(store::Collection::users, user);
    return user_view(d.docs(), user);
  });
  if (!updated) return respond(updated.error());
  // A password change ends every other session of the user; this one stays signed in.
  if (!new_hash.empty()) {
    if (auto r = ctx.store.revoke_user_sessions(user_id, caller->claims.sid); !r) return respond(r.error());
  }
  return http::Response::json(200, *updated);
}

}  // namespace

void register_me_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/me", [&ctx](http::Request& req) { return get_me(ctx, req); });
  r.add("PUT", "/api/me", [&ctx](http::Request& req) { return put_me(ctx, req); });
}

}  // namespace routerly::admin
