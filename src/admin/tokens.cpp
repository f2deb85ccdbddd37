// /api/projects/{p}/tokens (docs/management-api.md): project tokens are their own documents
// ({id, projectId, name?, hash, tokenSnippet, createdAt, labels, models, limits, limitsMode}).
// Only the SHA-256 of a token is stored; its value is answered once, on creation (SPEC §00 P6).
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/catalog_docs.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/project_input.hpp"
#include "admin/project_view.hpp"
#include "auth/project_tokens.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "config/limits.hpp"

namespace routerly::admin {

namespace json = boost::json;
using catalog::find_doc;
using catalog::text;

namespace {

bool present(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && !v->is_null();
}

bool in_project_pool(const json::object& project, std::string_view model_id) {
  const json::value* refs = project.if_contains("models");
  if (refs == nullptr || !refs->is_array()) return false;
  for (const auto& ref : refs->as_array())
    if (ref.is_object() && text(ref.as_object(), "modelId") == model_id) return true;
  return false;
}

// Writes the body's fields onto `token`; on create, absent fields get their defaults.
Result<void> apply_token_body(json::object& token, const json::object& body, const json::object& project,
                              bool creating) {
  auto name = opt_string(body, "name");
  if (!name) return std::unexpected(name.error());
  if (*name) {
    if ((*name)->empty()) {
      token.erase("name");
    } else {
      token["name"] = **name;
    }
  }

  auto labels = opt_string_array(body, "labels");
  if (!labels) return std::unexpected(labels.error());
  if (*labels) {
    json::array out;
    for (auto& label : **labels) out.emplace_back(label);
    token["labels"] = std::move(out);
  } else if (creating) {
    token["labels"] = json::array();
  }

  if (present(body, "models")) {
    auto known = [&](std::string_view id) { return in_project_pool(project, id); };
    auto refs = projects::normalize_model_refs(body.at("models"), "models", known,
                                               "is not one of the project's models", false);
    if (!refs) return std::unexpected(refs.error());
    token["models"] = std::move(*refs);
  } else if (creating) {
    token["models"] = json::array();
  }

  if (present(body, "limits")) {
    auto limits = config::normalize_limits(body.at("limits"), "limits");
    if (!limits) return std::unexpected(limits.error());
    token["limits"] = std::move(*limits);
  } else if (creating) {
    token["limits"] = json::array();
  }

  if (present(body, "limitsMode")) {
    auto mode = config::normalize_limits_mode(body.at("limitsMode"), "limitsMode");
    if (!mode) return std::unexpected(mode.error());
    token["limitsMode"] = *mode;
  } else if (creating) {
    token["limitsMode"] = "replace";
  }
  return {};
}

// The token document `token_id` of project `project_id` in the draft, or 404.
Result<const json::object*> find_token(const store::ConfigDocuments& docs, std::string_view project_id,
                                       std::string_view token_id) {
  const json::object* token = find_doc(docs.tokens, token_id);
  if (token == nullptr || text(*token, "projectId") != project_id)
    return fail(ErrorCode::not_found, "token '" + std::string(token_id) + "' not found in this project");
  return token;
}

http::Response list_tokens(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::read);
  if (!access) return respond(access.error());
  json::array out;
  for (const json::object* token : access->caller.snap->project_tokens(text(*access->project, "id")))
    out.push_back(projects::token_info(*token));
  return http::Response::json(200, out);
}

http::Response create_token(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::write);
  if (!access) return respond(access.error());
  // An empty body is allowed: every field is optional.
  json::object body;
  if (!req.body.empty()) {
    auto parsed = parse_object(req);
    if (!parsed) return respond(parsed.error());
    body = std::move(*parsed);
  }
  std::string project_id(text(*access->project, "id"));
  auth::NewProjectToken value = auth::generate_project_token();

  auto created = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    const json::object* project = find_doc(d.docs().projects, project_id);
    if (project == nullptr)
      return fail(ErrorCode::not_found, "project '" + std::string(req.param("p")) + "' not found");
    json::object token{{"id", ids::uuid_v4()}, {"projectId", project_id}};
    if (auto ok = apply_token_body(token, body, *project, true); !ok) return std::unexpected(ok.error());
    token["hash"] = value.hash;
    token["tokenSnippet"] = value.snippet;
    token["createdAt"] = clock::iso_now();
    d.upsert(store::Collection::tokens, token);
    return token;
  });
  if (!created) return respond(created.error());
  return http::Response::json(
      201, json::object{{"token", value.value}, {"tokenInfo", projects::token_info(*created)}});
}

http::Response update_token(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::write);
  if (!access) return respond(access.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  std::string project_id(text(*access->project, "id"));
  std::string token_id(req.param("tokenId"));

  auto updated = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    auto existing = find_token(d.docs(), project_id, token_id);
    if (!existing) return std::unexpected(existing.error());
    const json::object* project = find_doc(d.docs().projects, project_id);
    if (project == nullptr)
      return fail(ErrorCode::not_found, "project '" + std::string(req.param("p")) + "' not found");
    json::object token = **existing;
    if (auto ok = apply_token_body(token, *body, *project, false); !ok) return std::unexpected(ok.error());
    d.upsert(store::Collection::tokens, token);
    return token;
  });
  if (!updated) return respond(updated.error());
  return http::Response::json(200, projects::token_info(*updated));
}

http::Response delete_token(Context& ctx, http::Request& req) {
  auto access = require_project(ctx, req, req.param("p"), auth::ProjectAction::write);
  if (!access) return respond(access.error());
  std::string project_id(text(*access->project, "id"));
  std::string token_id(req.param("tokenId"));
  auto deleted = ctx.config.update<bool>([&](config::Draft& d) -> Result<bool> {
    auto existing = find_token(d.docs(), project_id, token_id);
    if (!existing) return std::unexpected(existing.error());
    d.remove(store::Collection::tokens, token_id);
    return true;
  });
  if (!deleted) return respond(deleted.error());
  return http::Response::no_content();
}

}  // namespace

void register_token_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/projects/{p}/tokens", [&ctx](http::Request& req) { return list_tokens(ctx, req); });
  r.add("POST", "/api/projects/{p}/tokens", [&ctx](http::Request& req) { return create_token(ctx, req); });
  r.add("PUT", "/api/projects/{p}/tokens/{tokenId}",
        [&ctx](http::Request& req) { return update_token(ctx, req); });
  r.add("DELETE", "/api/projects/{p}/tokens/{tokenId}",
        [&ctx](http::Request& req) { return delete_token(ctx, req); });
}

}  // namespace routerly::admin
