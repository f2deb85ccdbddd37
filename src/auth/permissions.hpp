#pragma once
// RBAC of SPEC §3 with project membership enforced (§00 P20).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/snapshot.hpp"

namespace routerly::auth {

inline constexpr std::string_view kAllPermissions[] = {"project:read", "project:write", "model:read",
                                                       "model:write",  "user:read",     "user:write",
                                                       "report:read"};

struct BuiltinRole {
  std::string_view id;
  std::string_view name;
  std::vector<std::string_view> permissions;
};
const std::vector<BuiltinRole>& builtin_roles();
bool is_builtin_role(std::string_view id);

// Permissions of a global role id (built-in or custom); empty when the role is unknown.
std::vector<std::string> role_permissions(const config::Snapshot& snap, std::string_view role_id);
bool has_permission(const config::Snapshot& snap, std::string_view role_id, std::string_view permission);

// Project member roles: viewer (project:read, report:read on that project), editor (+ project:write
// for routing, models and tokens), admin (+ members).
enum class ProjectAction { read, write, manage_members };

// Whether `user` may perform `action` on `project`: through the global role's permission
// (project:read / project:write) or through membership (P20).
bool can_access_project(const config::Snapshot& snap, const boost::json::object& user,
                        const boost::json::object& project, ProjectAction action);

}  // namespace routerly::auth
