#include "admin/guard.hpp"

#include <algorithm>

#include "admin/views.hpp"
#include "common/clock.hpp"
#include "config/settings.hpp"
#include "http/forwarded.hpp"

namespace routerly::admin {

std::string Caller::user_id() const {
  return user == nullptr ? std::string() : std::string(accounts::text(*user, "id"));
}

std::string Caller::role_id() const {
  return user == nullptr ? std::string() : std::string(accounts::text(*user, "roleId"));
}

Result<Caller> authenticate(Context& ctx, const http::Request& req) {
  std::string_view token = req.bearer_token();
  if (token.empty()) return fail(ErrorCode::unauthorized, "missing or invalid Authorization header");
  auto claims = auth::verify_jwt(token, ctx.jwt_key, clock::now_s());
  if (!claims) return fail(ErrorCode::unauthorized, "invalid or expired session token");

  // Logout and reuse detection revoke the session: its JWTs stop working before they expire.
  auto session = ctx.store.get_session(claims->sid);
  if (!session) return std::unexpected(session.error());
  if (!*session || (*session)->revoked || (*session)->user_id != claims->sub)
    return fail(ErrorCode::unauthorized, "session has ended; log in again");

  Caller caller;
  caller.snap = ctx.config.current();
  // A deleted user is locked out at once; permissions follow the user's current role.
  caller.user = caller.snap->user(claims->sub);
  if (caller.user == nullptr) return fail(ErrorCode::unauthorized, "user no longer exists");
  caller.claims = std::move(*claims);
  return caller;
}

Result<Caller> require_permission(Context& ctx, const http::Request& req, std::string_view permission) {
  auto caller = authenticate(ctx, req);
  if (!caller) return caller;
  if (!auth::has_permission(*caller->snap, caller->role_id(), permission))
    return fail(ErrorCode::forbidden, "requires permission '" + std::string(permission) + "'");
  return caller;
}

std::string client_address(Context& ctx, const http::Request& req) {
  const auto trusted = config::trusted_proxies(ctx.config.current()->settings);
  return http::client_origin(req, trusted).address;
}

http::Response too_many_attempts(int64_t retry_after_seconds) {
  auto response = http::Response::error(ErrorCode::rate_limited, "too many failed password attempts; retry in " +
                                                                     std::to_string(retry_after_seconds) + " s");
  response.set_header("retry-after", std::to_string(retry_after_seconds));
  return response;
}

Result<void> require_within_caller(const Caller& caller, const std::vector<std::string>& permissions) {
  const auto held = auth::role_permissions(*caller.snap, caller.role_id());
  for (const auto& p : permissions) {
    if (std::find(held.begin(), held.end(), p) == held.end())
      return fail(ErrorCode::forbidden, "requires permission '" + p + "': you cannot grant a permission you do not hold");
  }
  return {};
}

Result<void> require_role_within_caller(const Caller& caller, std::string_view role_id) {
  if (auto ok = require_within_caller(caller, auth::role_permissions(*caller.snap, role_id)); !ok) return ok;
  if (role_id == "admin" && caller.role_id() != "admin")
    return fail(ErrorCode::forbidden, "requires role 'admin' to grant or manage the role 'admin'");
  return {};
}

Result<ProjectCaller> require_project(Context& ctx, const http::Request& req, std::string_view id_or_slug,
                                      auth::ProjectAction action) {
  auto caller = authenticate(ctx, req);
  if (!caller) return std::unexpected(caller.error());
  const config::Snapshot& snap = *caller->snap;
  const boost::json::object* project = snap.project(id_or_slug);
  // A project the caller may not read is indistinguishable from a missing one.
  if (project == nullptr ||
      !auth::can_access_project(snap, *caller->user, *project, auth::ProjectAction::read))
    return fail(ErrorCode::not_found, "project '" + std::string(id_or_slug) + "' not found");
  if (!auth::can_access_project(snap, *caller->user, *project, action)) {
    std::string_view needed = action == auth::ProjectAction::manage_members ? "admin" : "editor";
    return fail(ErrorCode::forbidden,
                "requires permission 'project:write' or project member role '" + std::string(needed) + "'");
  }
  return ProjectCaller{std::move(*caller), project};
}

}  // namespace routerly::admin
