// /api/models (docs/management-api.md): model CRUD, masked API keys, rename cascade.
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/catalog_docs.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/model_input.hpp"
#include "common/clock.hpp"

namespace routerly::admin {

namespace json = boost::json;
using catalog::find_doc;
using catalog::text;

namespace {

Result<json::object> missing_model(std::string_view id) {
  return fail(ErrorCode::not_found, "model '" + std::string(id) + "' not found");
}

void seal_key(Context& ctx, json::object& doc, const std::string& key) {
  doc["apiKeyEnc"] = ctx.key_box.seal(key);
  doc["apiKeyHint"] = models::mask_key(key);
  doc.erase("apiKey");  // a legacy plain-text key never survives a write
}

// Rewrites `models[].modelId == from` into `to` in one document; true when it changed.
bool rename_refs(json::object& doc, std::string_view from, std::string_view to) {
  json::value* refs = doc.if_contains("models");
  if (refs == nullptr || !refs->is_array()) return false;
  bool changed = false;
  for (json::value& ref : refs->as_array()) {
    if (ref.is_object() && text(ref.as_object(), "modelId") == from) {
      ref.as_object()["modelId"] = to;
      changed = true;
    }
  }
  return changed;
}

// The rename cascade of SPEC §1.5: project pools and token overrides follow the new id.
void cascade_rename(config::Draft& d, std::string_view from, std::string_view to) {
  for (auto c : {store::Collection::projects, store::Collection::tokens}) {
    std::vector<json::object> changed;
    for (const json::object& doc : d.list(c)) {
      json::object copy = doc;
      if (rename_refs(copy, from, to)) changed.push_back(std::move(copy));
    }
    for (auto& doc : changed) d.upsert(c, std::move(doc));
  }
}

std::string projects_using(const store::ConfigDocuments& docs, std::string_view model_id) {
  std::string names;
  for (const auto& project : docs.projects) {
    const json::value* refs = project.if_contains("models");
    if (refs == nullptr || !refs->is_array()) continue;
    for (const auto& ref : refs->as_array()) {
      if (ref.is_object() && text(ref.as_object(), "modelId") == model_id) {
        if (!names.empty()) names += ", ";
        names += "'" + std::string(text(project, "name")) + "'";
        break;
      }
    }
  }
  return names;
}

http::Response list_models(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:read");
  if (!caller) return respond(caller.error());
  json::array out;
  for (const auto& doc : caller->snap->docs.models) out.push_back(models::model_view(doc));
  return http::Response::json(200, out);
}

http::Response get_model(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:read");
  if (!caller) return respond(caller.error());
  const json::object* doc = caller->snap->model(req.param("id"));
  if (doc == nullptr) return respond(missing_model(req.param("id")).error());
  return http::Response::json(200, models::model_view(*doc));
}

http::Response create_model(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:write");
  if (!caller) return respond(caller.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto input = models::model_from_create(*body);
  if (!input) return respond(input.error());

  auto created = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    json::object doc = std::move(input->doc);
    std::string id(text(doc, "id"));
    if (find_doc(d.docs().models, id) != nullptr)
      return fail(ErrorCode::conflict, "model '" + id + "' already exists");
    if (input->api_key) {
      seal_key(ctx, doc, *input->api_key);
    } else if (auto clone = opt_string(*body, "cloneFrom"); !clone) {
      return std::unexpected(clone.error());
    } else if (*clone && !(*clone)->empty()) {
      // cloneFrom copies the key of another model when no key is given (SPEC §4.3).
      const json::object* source = find_doc(d.docs().models, **clone);
      if (source == nullptr)
        return fail(ErrorCode::validation_error,
                    "field 'cloneFrom' names an unknown model '" + **clone + "'");
      for (auto key : {"apiKeyEnc", "apiKeyHint"})
        if (const json::value* v = source->if_contains(key)) doc[key] = *v;
    }
    doc["createdAt"] = clock::iso_now();
    d.upsert(store::Collection::models, doc);
    return doc;
  });
  if (!created) return respond(created.error());
  return http::Response::json(201, models::model_view(*created));
}

http::Response update_model(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:write");
  if (!caller) return respond(caller.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  std::string id(req.param("id"));

  auto updated = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    const json::object* existing = find_doc(d.docs().models, id);
    if (existing == nullptr) return missing_model(id);
    auto input = models::model_from_update(*existing, *body);
    if (!input) return std::unexpected(input.error());
    json::object doc = std::move(input->doc);
    if (input->api_key) seal_key(ctx, doc, *input->api_key);
    std::string new_id(text(doc, "id"));
    if (new_id != id) {
      if (find_doc(d.docs().models, new_id) != nullptr)
        return fail(ErrorCode::conflict, "model '" + new_id + "' already exists");
      d.remove(store::Collection::models, id);
      cascade_rename(d, id, new_id);
    }
    d.upsert(store::Collection::models, doc);
    return doc;
  });
  if (!updated) return respond(updated.error());
  return http::Response::json(200, models::model_view(*updated));
}

http::Response delete_model(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:write");
  if (!caller) return respond(caller.error());
  std::string id(req.param("id"));
  auto deleted = ctx.config.update<bool>([&](config::Draft& d) -> Result<bool> {
    if (find_doc(d.docs().models, id) == nullptr) return std::unexpected(missing_model(id).error());
    std::string users = projects_using(d.docs(), id);
    if (!users.empty())
      return fail(ErrorCode::conflict,
                  "model '" + id + "' is used by projects " + users + "; remove it from them first");
    d.remove(store::Collection::models, id);
    return true;
  });
  if (!deleted) return respond(deleted.error());
  return http::Response::no_content();
}

http::Response get_api_key(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:write");
  if (!caller) return respond(caller.error());
  const json::object* doc = caller->snap->model(req.param("id"));
  if (doc == nullptr) return respond(missing_model(req.param("id")).error());
  // Only the masked hint ever leaves the server (P6).
  json::value hint = nullptr;
  if (!text(*doc, "apiKeyEnc").empty()) {
    hint = text(*doc, "apiKeyHint").empty() ? json::value("****") : json::value(text(*doc, "apiKeyHint"));
  } else if (!text(*doc, "apiKey").empty()) {
    hint = models::mask_key(text(*doc, "apiKey"));
  }
  return http::Response::json(200, json::object{{"apiKey", hint}});
}

http::Response set_api_key(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:write");
  if (!caller) return respond(caller.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto key = req_string(*body, "apiKey");
  if (!key) return respond(key.error());
  std::string id(req.param("id"));
  auto updated = ctx.config.update<json::object>([&](config::Draft& d) -> Result<json::object> {
    const json::object* existing = find_doc(d.docs().models, id);
    if (existing == nullptr) return missing_model(id);
    json::object doc = *existing;
    seal_key(ctx, doc, *key);
    d.upsert(store::Collection::models, doc);
    return doc;
  });
  if (!updated) return respond(updated.error());
  return http::Response::json(200, json::object{{"apiKey", text(*updated, "apiKeyHint")}});
}

}  // namespace

void register_model_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/models", [&ctx](http::Request& req) { return list_models(ctx, req); });
  r.add("POST", "/api/models", [&ctx](http::Request& req) { return create_model(ctx, req); });
  r.add("GET", "/api/models/{id}", [&ctx](http::Request& req) { return get_model(ctx, req); });
  r.add("PUT", "/api/models/{id}", [&ctx](http::Request& req) { return update_model(ctx, req); });
  r.add("DELETE", "/api/models/{id}", [&ctx](http::Request& req) { return delete_model(ctx, req); });
  r.add("GET", "/api/models/{id}/apikey", [&ctx](http::Request& req) { return get_api_key(ctx, req); });
  r.add("POST", "/api/models/{id}/apikey", [&ctx](http::Request& req) { return set_api_key(ctx, req); });
}

}  // namespace routerly::admin
