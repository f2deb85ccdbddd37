// User accounts: /api/users (user:read to list, user:write to change).
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/views.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/ids.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

// `roleId`, or its alias `role` (SPEC §00 P9). Names the field the caller used.
struct RoleInput {
  std::optional<std::string> id;
  std::string field = "roleId";
};

Result<RoleInput> read_role(const json::object& body) {
  auto role_id = opt_string(body, "roleId");
  if (!role_id) return std::unexpected(role_id.error());
  if (*role_id) return RoleInput{std::move(*role_id), "roleId"};
  auto role = opt_string(body, "role");
  if (!role) return std::unexpected(role.error());
  return RoleInput{std::move(*role), "role"};
}

Result<void> check_role(const store::ConfigDocuments& docs, const RoleInput& role) {
  if (role.id && !accounts::role_exists(docs, *role.id))
    return fail(ErrorCode::validation_error,
                "field '" + role.field + "': role '" + *role.id + "' does not exist");
  return {};
}

Result<void> check_unique_email(const store::ConfigDocuments& docs, std::string_view email,
                                std::string_view except_id) {
  if (accounts::email_taken(docs, email, except_id))
    return fail(ErrorCode::conflict, "field 'email': '" + std::string(email) + "' is already in use");
  return {};
}

std::unexpected<Error> user_not_found(std::string_view id) {
  return fail(ErrorCode::not_found, "user '" + std::string(id) + "' not found");
}

// Index of the project addressed by id or slug in the draft's list, or npos.
std::size_t find_project(const store::ConfigDocuments& docs, std::string_view id_or_slug) {
  for (std::size_t i = 0; i < docs.projects.size(); ++i)
    if (accounts::text(docs.projects[i], "id") == id_or_slug) return i;
  for (std::size_t i = 0; i < docs.projects.size(); ++i)
    if (accounts::text(docs.projects[i], "slug") == id_or_slug) return i;
  return std::string::npos;
}

http::Response list_users(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:read");
  if (!caller) return respond(caller.error());
  const auto& docs = caller->snap->docs;
  json::array out;
  for (const auto& user : docs.users) out.emplace_back(user_view(docs, user));
  return http::Response::json(200, out);
}

http::Response get_user(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:read");
  if (!caller) return respond(caller.error());
  const json::object* user = caller->snap->user(req.param("id"));
  if (user == nullptr) return respond(user_not_found(req.param("id")).error());
  return http::Response::json(200, user_view(caller->snap->docs, *user));
}

http::Response create_user(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto email = req_string(*body, "email");
  if (!email) return respond(email.error());
  if (auto ok = accounts::check_email(*email, "email"); !ok) return respond(ok.error());
  auto password = req_string(*body, "password");
  if (!password) return respond(password.error());
  if (auto ok = accounts::check_password(*password, "password"); !ok) return respond(ok.error());
  auto role = read_role(*body);
  if (!role) return respond(role.error());
  if (!role->id) role->id = "viewer";
  auto project_refs = opt_string_array(*body, "projectIds");
  if (!project_refs) return respond(project_refs.error());

  // Cheap checks first so that bad input does not pay for argon2; repeated inside the update.
  const auto& docs = caller->snap->docs;
  if (auto ok = check_role(docs, *role); !ok) return respond(ok.error());
  if (auto ok = require_role_within_caller(*caller, *role->id); !ok) return respond(ok.error());
  if (auto ok = check_unique_email(docs, *email, {}); !ok) return respond(ok.error());

  json::object user{{"id", ids::uuid_v4()},
                    {"email", *email},
                    {"passwordHash", crypto::hash_password(*password)},
                    {"roleId", *role->id},
                    {"createdAt", clock::iso_now()}};
  auto created = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    if (auto ok = check_role(d.docs(), *role); !ok) return std::unexpected(ok.error());
    if (auto ok = check_unique_email(d.docs(), *email, {}); !ok) return std::unexpected(ok.error());
    // Each listed project gains the user as a `viewer` member.
    std::vector<json::object> projects;
    const auto& refs = project_refs->value_or(std::vector<std::string>{});
    for (std::size_t i = 0; i < refs.size(); ++i) {
      std::size_t at = find_project(d.docs(), refs[i]);
      if (at == std::string::npos)
        return fail(ErrorCode::validation_error, "field 'projectIds[" + std::to_string(i) + "]': project '" +
                                                     refs[i] + "' does not exist");
      json::object project = d.docs().projects[at];
      bool already = false;
      for (const auto& p : projects)
        already = already || accounts::text(p, "id") == accounts::text(project, "id");
      if (already) continue;
      json::value& members = project["members"];
      if (!members.is_array()) members = json::array();
      members.as_array().push_back(json::object{{"userId", user.at("id")}, {"role", "viewer"}});
      projects.push_back(std::move(project));
    }
    for (auto& p : projects) d.upsert(store::Collection::projects, std::move(p));
    d.upsert(store::Collection::users, user);
    return user_view(d.docs(), user);
  });
  if (!created) return respond(created.error());
  return http::Response::json(201, *created);
}

http::Response update_user(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  std::string id(req.param("id"));
  const json::object* target = caller->snap->user(id);
  if (target == nullptr) return respond(user_not_found(id).error());
  // A user holding more than the caller (an admin, say) is not the caller's to change.
  if (auto ok = require_role_within_caller(*caller, accounts::text(*target, "roleId")); !ok)
    return respond(ok.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto email = opt_string(*body, "email");
  if (!email) return respond(email.error());
  if (*email) {
    if (auto ok = accounts::check_email(**email, "email"); !ok) return respond(ok.error());
  }
  auto role = read_role(*body);
  if (!role) return respond(role.error());
  if (auto ok = check_role(caller->snap->docs, *role); !ok) return respond(ok.error());
  // Granting a role needs every permission it carries; this is also what stops a user from
  // raising its own role.
  if (role->id && *role->id != accounts::text(*target, "roleId")) {
    if (auto ok = require_role_within_caller(*caller, *role->id); !ok) return respond(ok.error());
  }
  auto new_password = opt_string(*body, "newPassword");
  if (!new_password) return respond(new_password.error());
  if (*new_password) {
    if (auto ok = accounts::check_password(**new_password, "newPassword"); !ok) return respond(ok.error());
  }

  std::string new_hash = *new_password ? crypto::hash_password(**new_password) : std::string();
  auto updated = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    const json::object* stored = accounts::find_user(d.docs(), id);
    if (stored == nullptr) return user_not_found(id);
    json::object user = *stored;
    if (*email) {
      if (auto ok = check_unique_email(d.docs(), **email, id); !ok) return std::unexpected(ok.error());
      user["email"] = **email;
    }
    if (role->id) {
      if (auto ok = check_role(d.docs(), *role); !ok) return std::unexpected(ok.error());
      bool demotes_admin = accounts::text(user, "roleId") == "admin" && *role->id != "admin";
      if (demotes_admin && accounts::count_admins(d.docs()) == 1)
        return fail(ErrorCode::conflict, "cannot change the role of the last admin");
      user["roleId"] = *role->id;
    }
    if (!new_hash.empty()) user["passwordHash"] = new_hash;
    d.upsert(store::Collection::users, user);
    return user_view(d.docs(), user);
  });
  if (!updated) return respond(updated.error());
  // A new password ends the user's sessions (the caller's own stays when it resets its own password).
  if (!new_hash.empty()) {
    std::string keep = id == caller->user_id() ? caller->claims.sid : std::string();
    if (auto r = ctx.store.revoke_user_sessions(id, keep); !r) return respond(r.error());
  }
  return http::Response::json(200, *updated);
}

http::Response delete_user(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  std::string id(req.param("id"));
  if (const json::object* target = caller->snap->user(id)) {
    if (auto ok = require_role_within_caller(*caller, accounts::text(*target, "roleId")); !ok)
      return respond(ok.error());
  }
  auto removed = ctx.config.update<bool>([&](config::Draft& d) -> Result<bool> {
    const json::object* stored = accounts::find_user(d.docs(), id);
    if (stored == nullptr) return user_not_found(id);
    if (accounts::text(*stored, "roleId") == "admin" && accounts::count_admins(d.docs()) == 1)
      return fail(ErrorCode::conflict, "cannot delete the last admin");
    // Drop the user's memberships so no project keeps a dangling member.
    std::vector<json::object> changed;
    for (const auto& project : d.docs().projects) {
      const json::value* members = project.if_contains("members");
      if (members == nullptr || !members->is_array()) continue;
      json::array kept;
      for (const auto& m : members->as_array())
        if (!m.is_object() || accounts::text(m.as_object(), "userId") != id) kept.push_back(m);
      if (kept.size() == members->as_array().size()) continue;
      json::object copy = project;
      copy["members"] = std::move(kept);
      changed.push_back(std::move(copy));
    }
    for (auto& p : changed) d.upsert(store::Collection::projects, std::move(p));
    d.remove(store::Collection::users, id);
    return true;
  });
  if (!removed) return respond(removed.error());
  if (auto r = ctx.store.revoke_user_sessions(id, {}); !r) return respond(r.error());
  return http::Response::no_content();
}

}  // namespace

void register_user_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/users", [&ctx](http::Request& req) { return list_users(ctx, req); });
  r.add("POST", "/api/users", [&ctx](http::Request& req) { return create_user(ctx, req); });
  r.add("GET", "/api/users/{id}", [&ctx](http::Request& req) { return get_user(ctx, req); });
  r.add("PUT", "/api/users/{id}", [&ctx](http::Request& req) { return update_user(ctx, req); });
  r.add("DELETE", "/api/users/{id}", [&ctx](http::Request& req) { return delete_user(ctx, req); });
}

}  // namespace routerly::admin
