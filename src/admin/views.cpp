#include "admin/views.hpp"

#include "auth/jwt.hpp"
#include "auth/permissions.hpp"

namespace routerly::admin {

namespace json = boost::json;

json::object user_view(const store::ConfigDocuments& docs, const json::object& user) {
  std::string_view id = accounts::text(user, "id");
  json::array project_ids;
  for (const auto& project : docs.projects) {
    const json::value* members = project.if_contains("members");
    if (members == nullptr || !members->is_array()) continue;
    for (const auto& m : members->as_array()) {
      if (m.is_object() && accounts::text(m.as_object(), "userId") == id) {
        project_ids.emplace_back(accounts::text(project, "id"));
        break;
      }
    }
  }
  std::string_view role = accounts::text(user, "roleId");
  json::object view;
  view["id"] = id;
  view["email"] = accounts::text(user, "email");
  view["roleId"] = role;
  view["role"] = role;
  view["projectIds"] = std::move(project_ids);
  view["createdAt"] = accounts::text(user, "createdAt");
  return view;
}

json::object session_view(const config::Snapshot& snap, const json::object& user, std::string_view jwt,
                          std::string_view refresh_token) {
  std::string_view role = accounts::text(user, "roleId");
  json::array permissions;
  for (const auto& p : auth::role_permissions(snap, role)) permissions.emplace_back(p);
  json::object out;
  out["token"] = jwt;
  out["expiresIn"] = auth::kAccessTokenSeconds;
  out["refreshToken"] = refresh_token;
  out["user"] = json::object{{"id", accounts::text(user, "id")},
                             {"email", accounts::text(user, "email")},
                             {"role", role},
                             {"permissions", std::move(permissions)}};
  return out;
}

namespace accounts {

std::string_view text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return v->as_string();
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Result<void> check_email(std::string_view email, std::string_view field) {
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size())
    return fail(ErrorCode::validation_error, "field '" + std::string(field) + "' must be an email address");
  return {};
}

Result<void> check_password(std::string_view password, std::string_view field) {
  if (password.size() < 8)
    return fail(ErrorCode::validation_error,
                "field '" + std::string(field) + "' must be at least 8 characters long");
  return {};
}

const json::object* find_user(const store::ConfigDocuments& docs, std::string_view id) {
  for (const auto& u : docs.users)
    if (text(u, "id") == id) return &u;
  return nullptr;
}

bool email_taken(const store::ConfigDocuments& docs, std::string_view email, std::string_view except_id) {
  std::string wanted = ascii_lower(email);
  for (const auto& u : docs.users) {
    if (!except_id.empty() && text(u, "id") == except_id) continue;
    if (ascii_lower(text(u, "email")) == wanted) return true;
  }
  return false;
}

std::size_t count_admins(const store::ConfigDocuments& docs) {
  std::size_t n = 0;
  for (const auto& u : docs.users)
    if (text(u, "roleId") == "admin") ++n;
  return n;
}

bool role_exists(const store::ConfigDocuments& docs, std::string_view role_id) {
  if (auth::is_builtin_role(role_id)) return true;
  for (const auto& r : docs.roles)
    if (text(r, "id") == role_id) return true;
  return false;
}

}  // namespace accounts
}  // namespace routerly::admin
