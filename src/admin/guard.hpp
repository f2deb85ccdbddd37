#pragma once
// Authentication and authorisation for management handlers.
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "admin/context.hpp"
#include "auth/jwt.hpp"
#include "auth/permissions.hpp"
#include "http/message.hpp"

namespace routerly::admin {

struct Caller {
  std::shared_ptr<const config::Snapshot> snap;  // the snapshot the check was made against
  const boost::json::object* user = nullptr;     // points into snap
  auth::Claims claims;
  std::string user_id() const;
  std::string role_id() const;
};

// Verifies the Bearer JWT, that its session is not revoked and that the user still exists.
Result<Caller> authenticate(Context& ctx, const http::Request& req);
// authenticate() + the global permission (403 forbidden naming it).
Result<Caller> require_permission(Context& ctx, const http::Request& req, std::string_view permission);
// The client's address for throttling: the TCP peer, or what X-Forwarded-For says when the peer
// is one of settings.trustedProxies.
std::string client_address(Context& ctx, const http::Request& req);
// 429 rate_limited with retry-after for a throttled password check.
http::Response too_many_attempts(int64_t retry_after_seconds);

// Granting, changing or managing a global role must not give anyone more than the caller has:
// every permission in `permissions` must be one the caller holds (403 forbidden naming the first
// missing one).
Result<void> require_within_caller(const Caller& caller, const std::vector<std::string>& permissions);
// The same for a role by id; the built-in admin role carries powers beyond its permission list
// (it is the role that sees server paths and the last-admin protections count), so only an admin
// grants or manages it.
Result<void> require_role_within_caller(const Caller& caller, std::string_view role_id);
// authenticate() + access to the project addressed by id or slug (404 when the caller may not see it).
struct ProjectCaller {
  Caller caller;
  const boost::json::object* project = nullptr;  // points into caller.snap
};
Result<ProjectCaller> require_project(Context& ctx, const http::Request& req, std::string_view id_or_slug,
                                      auth::ProjectAction action);

}  // namespace routerly::admin
