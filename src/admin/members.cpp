// /api/projects/{p}/members (docs/management-api.md, SPEC §00 P20): membership is stored in
// the project document as members:[{userId, role}]. Changing it needs global project:write
// or the member role admin on that project.
#include "admin/members.hpp"

#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/catalog_docs.hpp"
#include "admin/guard.hpp"
#include "admin/views.hpp"

namespace routerly::admin {

namespace json = boost::json;
using catalog::find_doc;
using catalog::text;

namespace {

json::object member_view(const store::ConfigDocuments& docs, std::string_view user_id,
                         std::string_view role) {
  const json::object* user = find_doc(docs.users, user_id);
  json::value email = user == nullptr ? json::value(nullptr) : json::value(text(*user, "email"));
  return json::object{{"userId", user_id}, {"email", email}, {"role", role}};
}

json::array members_of(const json::object& project) {
  const json::value* m = project.if_contains("members");
  return m != nullptr && m->is_array() ? m->as_array() : json::array();
}

// Index of the member entry for `user_id`, or -1.
std::ptrdiff_t member_index(const json::array& members, std::string_view user_id) {
  for (std::size_t i = 0; i < members.size(); ++i)
    if (members[i].is_object() && text(members[i].as_object(), "userId") == user_id)
      return static_cast<std::ptrdiff_t>(i);
  return -1;
}

Result<json::object> missing(std::string_view what, std::string_view id) {
  return fail(ErrorCode::not_found, std::string(what) + " '" + std::string(id) + "' not found");
}

// Runs `edit` on a copy of the project's member list and stores the result.
template <class Edit>
Result<json::object> edit_members(Context& ctx, std::string_view project_id, Edit edit) {
  return ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    const json::object* existing = find_doc(d.docs().projects, project_id);
    if (existing == nullptr) return missing("project", project_id);
    json::object project = *existing;
    json::array members = members_of(project);
    auto answer = edit(d.docs(), members);
    if (!answer) return answer;
    project["members"] = std::move(members);
    d.upsert(store::Collection::projects, std::move(project));
    return answer;
  });
}

http::Response list_members(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::read);
  if (!access) return respond(access.error());
  json::array out;
  for (const auto& m : members_of(*access->project)) {
    if (!m.is_object()) continue;
    out.push_back(
        member_view(access->caller.snap->docs, text(m.as_object(), "userId"), text(m.as_object(), "role")));
  }
  return http::Response::json(200, out);
}

http::Response add_member(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::manage_members);
  if (!access) return respond(access.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto user_id = opt_string(*body, "userId");
  if (!user_id) return respond(user_id.error());
  auto email = opt_string(*body, "email");
  if (!email) return respond(email.error());
  if (user_id->value_or("").empty() && email->value_or("").empty())
    return respond(catalog::invalid("userId", "is required (or give email)").error());
  auto role = opt_enum(*body, "role", {"viewer", "editor", "admin"});
  if (!role) return respond(role.error());
  std::string member_role = role->value_or("viewer");
  std::string project_id(text(*access->project, "id"));

  auto added = edit_members(
      ctx, project_id, [&](const store::ConfigDocuments& docs, json::array& members) -> Result<json::object> {
        const json::object* user = nullptr;
        if (!user_id->value_or("").empty()) {
          user = find_doc(docs.users, **user_id);
          if (user == nullptr) return missing("user", **user_id);
        } else {
          std::string wanted = accounts::ascii_lower(**email);
          for (const auto& u : docs.users)
            if (accounts::ascii_lower(text(u, "email")) == wanted) user = &u;
          if (user == nullptr) return missing("user with email", **email);
        }
        std::string id(text(*user, "id"));
        if (member_index(members, id) >= 0)
          return fail(ErrorCode::conflict, "user '" + id + "' is already a member of this project");
        members.push_back(json::object{{"userId", id}, {"role", member_role}});
        return member_view(docs, id, member_role);
      });
  if (!added) return respond(added.error());
  return http::Response::json(201, *added);
}

http::Response update_member(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::manage_members);
  if (!access) return respond(access.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto role = opt_enum(*body, "role", {"viewer", "editor", "admin"});
  if (!role) return respond(role.error());
  if (!*role) return respond(catalog::invalid("role", "is required").error());
  std::string user_id(req.param("userId"));
  std::string project_id(text(*access->project, "id"));

  auto updated = edit_members(
      ctx, project_id, [&](const store::ConfigDocuments& docs, json::array& members) -> Result<json::object> {
        std::ptrdiff_t i = member_index(members, user_id);
        if (i < 0) return missing("member", user_id);
        members[static_cast<std::size_t>(i)].as_object()["role"] = **role;
        return member_view(docs, user_id, **role);
      });
  if (!updated) return respond(updated.error());
  return http::Response::json(200, *updated);
}

http::Response remove_member(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::manage_members);
  if (!access) return respond(access.error());
  std::string user_id(req.param("userId"));
  std::string project_id(text(*access->project, "id"));
  auto removed = edit_members(
      ctx, project_id, [&](const store::ConfigDocuments&, json::array& members) -> Result<json::object> {
        std::ptrdiff_t i = member_index(members, user_id);
        if (i < 0) return missing("member", user_id);
        members.erase(members.begin() + i);
        return json::object();
      });
  if (!removed) return respond(removed.error());
  return http::Response::no_content();
}

}  // namespace

void register_member_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/projects/{p}/members", [&ctx](http::Request& req) { return list_members(ctx, req); });
  r.add("POST", "/api/projects/{p}/members", [&ctx](http::Request& req) { return add_member(ctx, req); });
  r.add("PUT", "/api/projects/{p}/members/{userId}",
        [&ctx](http::Request& req) { return update_member(ctx, req); });
  r.add("DELETE", "/api/projects/{p}/members/{userId}",
        [&ctx](http::Request& req) { return remove_member(ctx, req); });
}

}  // namespace routerly::admin
