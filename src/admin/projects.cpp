// /api/projects (docs/management-api.md): project CRUD, addressed by id or slug, with
// membership-aware access (SPEC §00 P8, P20). Members are in members.cpp.
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/catalog_docs.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/members.hpp"
#include "admin/project_input.hpp"
#include "admin/project_view.hpp"
#include "auth/project_tokens.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"

namespace routerly::admin {

namespace json = boost::json;
using catalog::find_doc;
using catalog::text;

namespace {

Result<json::object> missing_project(std::string_view id_or_slug) {
  return fail(ErrorCode::not_found, "project '" + std::string(id_or_slug) + "' not found");
}

http::Response list_projects(Context& ctx, http::Request& req) {
  auto caller = authenticate(ctx, req);
  if (!caller) return respond(caller.error());
  const config::Snapshot& snap = *caller->snap;
  json::array out;
  for (const auto& project : snap.docs.projects)
    if (auth::can_access_project(snap, *caller->user, project, auth::ProjectAction::read))
      out.push_back(projects::project_view(project, snap.docs.tokens));
  return http::Response::json(200, out);
}

http::Response get_project(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::read);
  if (!access) return respond(access.error());
  return http::Response::json(200,
                              projects::project_view(*access->project, access->caller.snap->docs.tokens));
}

http::Response create_project(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "project:write");
  if (!caller) return respond(caller.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  std::string creator = caller->user_id();
  auth::NewProjectToken token = auth::generate_project_token();

  auto created = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    json::object project;
    project["id"] = ids::uuid_v4();
    if (auto ok = projects::apply_project_body(project, *body, d.docs(), true); !ok)
      return std::unexpected(ok.error());
    project["members"] = json::array{json::object{{"userId", creator}, {"role", "admin"}}};
    project["createdAt"] = clock::iso_now();

    json::object token_doc{
        {"id", ids::uuid_v4()},    {"projectId", project["id"]},    {"name", "default"},
        {"hash", token.hash},      {"tokenSnippet", token.snippet}, {"createdAt", project["createdAt"]},
        {"labels", json::array()}, {"models", json::array()},       {"limits", json::array()},
        {"limitsMode", "replace"}};
    d.upsert(store::Collection::projects, project);
    d.upsert(store::Collection::tokens, token_doc);
    return projects::project_view(project, d.docs().tokens);
  });
  if (!created) return respond(created.error());
  // The full token value appears in this answer only (P6).
  (*created)["token"] = token.value;
  return http::Response::json(201, *created);
}

http::Response update_project(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::write);
  if (!access) return respond(access.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  std::string id(text(*access->project, "id"));

  auto updated = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    const json::object* existing = find_doc(d.docs().projects, id);
    if (existing == nullptr) return missing_project(req.param("p"));
    json::object project = *existing;
    if (auto ok = projects::apply_project_body(project, *body, d.docs(), false); !ok)
      return std::unexpected(ok.error());
    d.upsert(store::Collection::projects, project);
    return projects::project_view(project, d.docs().tokens);
  });
  if (!updated) return respond(updated.error());
  return http::Response::json(200, *updated);
}

http::Response delete_project(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::manage_members);
  if (!access) return respond(access.error());
  std::string id(text(*access->project, "id"));
  auto deleted = ctx.config.update<bool>([&](config::Draft& d) -> Result<bool> {
    if (find_doc(d.docs().projects, id) == nullptr)
      return std::unexpected(missing_project(req.param("p")).error());
    std::vector<std::string> token_ids;
    for (const auto& t : d.docs().tokens)
      if (text(t, "projectId") == id) token_ids.emplace_back(text(t, "id"));
    for (const auto& t : token_ids) d.remove(store::Collection::tokens, t);
    d.remove(store::Collection::projects, id);  // usage rows are kept
    return true;
  });
  if (!deleted) return respond(deleted.error());
  return http::Response::no_content();
}

}  // namespace

void register_project_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/projects", [&ctx](http::Request& req) { return list_projects(ctx, req); });
  r.add("POST", "/api/projects", [&ctx](http::Request& req) { return create_project(ctx, req); });
  r.add("GET", "/api/projects/{p}", [&ctx](http::Request& req) { return get_project(ctx, req); });
  r.add("PUT", "/api/projects/{p}", [&ctx](http::Request& req) { return update_project(ctx, req); });
  r.add("DELETE", "/api/projects/{p}", [&ctx](http::Request& req) { return delete_project(ctx, req); });
  register_member_routes(r, ctx);
}

}  // namespace routerly::admin
