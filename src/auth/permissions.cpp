#include "auth/permissions.hpp"

#include <algorithm>

namespace routerly::auth {

namespace {

std::string_view string_member(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

const BuiltinRole* find_builtin(std::string_view id) {
  for (const auto& role : builtin_roles()) {
    if (role.id == id) return &role;
  }
  return nullptr;
}

// The member role of `user_id` in `project`, empty when not a member.
std::string_view member_role(const boost::json::object& project, std::string_view user_id) {
  if (user_id.empty()) return {};
  const auto* members = project.if_contains("members");
  if (members == nullptr || !members->is_array()) return {};
  for (const auto& m : members->get_array()) {
    if (!m.is_object()) continue;
    if (string_member(m.get_object(), "userId") == user_id) return string_member(m.get_object(), "role");
  }
  return {};
}

bool member_may(std::string_view member_role, ProjectAction action) {
  if (member_role == "admin") return true;
  if (member_role == "editor") return action != ProjectAction::manage_members;
  if (member_role == "viewer") return action == ProjectAction::read;
  return false;  // unknown member roles grant nothing
}

}  // namespace

const std::vector<BuiltinRole>& builtin_roles() {
  static const std::vector<BuiltinRole> kRoles = {
      {"admin", "Admin", {std::begin(kAllPermissions), std::end(kAllPermissions)}},
      {"viewer", "Viewer", {"project:read", "model:read", "report:read"}},
      {"operator",
       "Operator",
       {"project:read", "project:write", "model:read", "model:write", "report:read", "user:read"}},
  };
  return kRoles;
}

bool is_builtin_role(std::string_view id) {
  return find_builtin(id) != nullptr;
}

std::vector<std::string> role_permissions(const config::Snapshot& snap, std::string_view role_id) {
  // Built-ins shadow a stored custom role with the same id (SPEC §3.2).
  if (const auto* builtin = find_builtin(role_id)) {
    return {builtin->permissions.begin(), builtin->permissions.end()};
  }
  std::vector<std::string> out;
  if (role_id.empty()) return out;
  const auto* role = snap.role(role_id);
  if (role == nullptr) return out;
  const auto* perms = role->if_contains("permissions");
  if (perms == nullptr || !perms->is_array()) return out;
  for (const auto& p : perms->get_array()) {
    if (p.is_string()) out.emplace_back(p.get_string());
  }
  return out;
}

bool has_permission(const config::Snapshot& snap, std::string_view role_id, std::string_view permission) {
  const auto perms = role_permissions(snap, role_id);
  return std::find(perms.begin(), perms.end(), permission) != perms.end();
}

bool can_access_project(const config::Snapshot& snap, const boost::json::object& user,
                        const boost::json::object& project, ProjectAction action) {
  const auto perms = role_permissions(snap, string_member(user, "roleId"));
  const auto granted = [&](std::string_view p) {
    return std::find(perms.begin(), perms.end(), p) != perms.end();
  };
  if (granted("project:write")) return true;
  if (action == ProjectAction::read && granted("project:read")) return true;
  return member_may(member_role(project, string_member(user, "id")), action);
}

}  // namespace routerly::auth
