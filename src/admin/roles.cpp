// Global roles: built-ins (immutable) and custom roles, /api/roles.
#include <boost/json.hpp>
#include <set>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/views.hpp"
#include "auth/permissions.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

json::object role_view(std::string_view id, std::string_view name, const json::array& permissions,
                       bool builtin) {
  return json::object{{"id", id}, {"name", name}, {"permissions", permissions}, {"builtin", builtin}};
}

json::object custom_view(const json::object& role) {
  const json::value* perms = role.if_contains("permissions");
  json::array permissions = perms != nullptr && perms->is_array() ? perms->as_array() : json::array();
  return role_view(accounts::text(role, "id"), accounts::text(role, "name"), permissions, false);
}

const auth::BuiltinRole* builtin_named(std::string_view name) {
  std::string wanted = accounts::ascii_lower(name);
  for (const auto& role : auth::builtin_roles())
    if (accounts::ascii_lower(role.name) == wanted || role.id == wanted) return &role;
  return nullptr;
}

// Lower case, every run of non-alphanumerics becomes one '-', no '-' at either end.
std::string derive_id(std::string_view name) {
  std::string id;
  for (char c : accounts::ascii_lower(name)) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) {
      id.push_back(c);
    } else if (!id.empty() && id.back() != '-') {
      id.push_back('-');
    }
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id;
}

Result<void> check_explicit_id(std::string_view id) {
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.';
    if (!ok)
      return fail(ErrorCode::validation_error,
                  "field 'id' may contain only letters, digits, '-', '_' and '.'");
  }
  return {};
}

// Each entry must be one of the seven permission strings; duplicates collapse.
Result<json::array> read_permissions(const json::object& body, bool& present) {
  auto list = opt_string_array(body, "permissions");
  if (!list) return std::unexpected(list.error());
  present = list->has_value();
  json::array out;
  std::set<std::string> seen;
  const std::vector<std::string> none;
  const std::vector<std::string>& items = *list ? **list : none;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& p = items[i];
    bool known = false;
    for (std::string_view k : auth::kAllPermissions) known = known || k == p;
    if (!known) {
      std::string all;
      for (std::string_view k : auth::kAllPermissions) all += (all.empty() ? "" : ", ") + std::string(k);
      return fail(ErrorCode::validation_error,
                  "field 'permissions[" + std::to_string(i) + "]' must be one of: " + all);
    }
    if (seen.insert(p).second) out.emplace_back(p);
  }
  return out;
}

std::vector<std::string> strings_of(const json::array& list) {
  std::vector<std::string> out;
  for (const auto& v : list)
    if (v.is_string()) out.emplace_back(v.as_string());
  return out;
}

// A custom role name must differ (case-insensitively) from every built-in and other custom role.
Result<void> check_name_free(const store::ConfigDocuments& docs, std::string_view name,
                             std::string_view except_id) {
  if (const auto* b = builtin_named(name))
    return fail(ErrorCode::conflict, "role name '" + std::string(name) + "' belongs to the built-in role '" +
                                         std::string(b->id) + "'");
  std::string wanted = accounts::ascii_lower(name);
  for (const auto& r : docs.roles) {
    if (accounts::text(r, "id") == except_id) continue;
    if (accounts::ascii_lower(accounts::text(r, "name")) == wanted)
      return fail(ErrorCode::conflict, "a role named '" + std::string(name) + "' already exists");
  }
  return {};
}

const json::object* find_role(const store::ConfigDocuments& docs, std::string_view id) {
  for (const auto& r : docs.roles)
    if (accounts::text(r, "id") == id) return &r;
  return nullptr;
}

http::Response list_roles(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:read");
  if (!caller) return respond(caller.error());
  json::array out;
  for (const auto& b : auth::builtin_roles()) {
    json::array perms;
    for (auto p : b.permissions) perms.emplace_back(p);
    out.emplace_back(role_view(b.id, b.name, perms, true));
  }
  for (const auto& r : caller->snap->docs.roles) {
    if (auth::is_builtin_role(accounts::text(r, "id"))) continue;  // a stored built-in id is shadowed
    out.emplace_back(custom_view(r));
  }
  return http::Response::json(200, out);
}

http::Response create_role(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto name = req_string(*body, "name");
  if (!name) return respond(name.error());
  auto explicit_id = opt_string(*body, "id");
  if (!explicit_id) return respond(explicit_id.error());
  std::string id;
  if (*explicit_id) {
    if ((*explicit_id)->empty())
      return respond({ErrorCode::validation_error, "field 'id' must be a non-empty string"});
    if (auto ok = check_explicit_id(**explicit_id); !ok) return respond(ok.error());
    id = **explicit_id;
  } else {
    id = derive_id(*name);
    if (id.empty())
      return respond({ErrorCode::validation_error, "field 'name' must contain at least one letter or digit"});
  }
  bool present = false;
  auto permissions = read_permissions(*body, present);
  if (!permissions) return respond(permissions.error());
  if (auto ok = require_within_caller(*caller, strings_of(*permissions)); !ok) return respond(ok.error());

  auto created = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    if (auth::is_builtin_role(id))
      return fail(ErrorCode::conflict, "role '" + id + "' is built-in and cannot be created");
    if (find_role(d.docs(), id) != nullptr)
      return fail(ErrorCode::conflict, "role '" + id + "' already exists");
    if (auto ok = check_name_free(d.docs(), *name, id); !ok) return std::unexpected(ok.error());
    json::object role{{"id", id}, {"name", *name}, {"permissions", *permissions}};
    d.upsert(store::Collection::roles, role);
    return custom_view(role);
  });
  if (!created) return respond(created.error());
  return http::Response::json(201, *created);
}

std::unexpected<Error> builtin_refusal(std::string_view id, std::string_view verb) {
  return fail(ErrorCode::forbidden, "built-in role '" + std::string(id) + "' cannot be " + std::string(verb));
}

std::unexpected<Error> role_not_found(std::string_view id) {
  return fail(ErrorCode::not_found, "role '" + std::string(id) + "' not found");
}

http::Response update_role(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  std::string id(req.param("id"));
  if (auth::is_builtin_role(id)) return respond(builtin_refusal(id, "modified").error());
  if (find_role(caller->snap->docs, id) == nullptr) return respond(role_not_found(id).error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto name = opt_string(*body, "name");
  if (!name) return respond(name.error());
  if (*name && (*name)->empty())
    return respond({ErrorCode::validation_error, "field 'name' must be a non-empty string"});
  bool present = false;
  auto permissions = read_permissions(*body, present);
  if (!permissions) return respond(permissions.error());
  // Whoever holds the role gains what it is given: the caller may give only what it holds.
  if (present) {
    if (auto ok = require_within_caller(*caller, strings_of(*permissions)); !ok) return respond(ok.error());
  }

  auto updated = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    const json::object* stored = find_role(d.docs(), id);
    if (stored == nullptr) return role_not_found(id);
    json::object role = *stored;
    if (*name) {
      if (auto ok = check_name_free(d.docs(), **name, id); !ok) return std::unexpected(ok.error());
      role["name"] = **name;
    }
    if (present) role["permissions"] = *permissions;
    d.upsert(store::Collection::roles, role);
    return custom_view(role);
  });
  if (!updated) return respond(updated.error());
  return http::Response::json(200, *updated);
}

http::Response delete_role(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  std::string id(req.param("id"));
  if (auth::is_builtin_role(id)) return respond(builtin_refusal(id, "deleted").error());
  auto removed = ctx.config.update<bool>([&](config::Draft& d) -> Result<bool> {
    if (find_role(d.docs(), id) == nullptr) return role_not_found(id);
    std::size_t holders = 0;
    for (const auto& u : d.docs().users)
      if (accounts::text(u, "roleId") == id) ++holders;
    if (holders > 0)
      return fail(ErrorCode::conflict, "role '" + id + "' is held by " + std::to_string(holders) +
                                           (holders == 1 ? " user" : " users") + "; reassign them first");
    d.remove(store::Collection::roles, id);
    return true;
  });
  if (!removed) return respond(removed.error());
  return http::Response::no_content();
}

}  // namespace

void register_role_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/roles", [&ctx](http::Request& req) { return list_roles(ctx, req); });
  r.add("POST", "/api/roles", [&ctx](http::Request& req) { return create_role(ctx, req); });
  r.add("PUT", "/api/roles/{id}", [&ctx](http::Request& req) { return update_role(ctx, req); });
  r.add("DELETE", "/api/roles/{id}", [&ctx](http::Request& req) { return delete_role(ctx, req); });
}

}  // namespace routerly::admin
