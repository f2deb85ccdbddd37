#include "admin/project_view.hpp"

#include <boost/json.hpp>

#include "admin/catalog_docs.hpp"

namespace routerly::admin::projects {

namespace json = boost::json;

json::object token_info(const json::object& token) {
  json::object info;
  info["id"] = catalog::text(token, "id");
  if (const json::value* name = token.if_contains("name"); name != nullptr && name->is_string())
    info["name"] = *name;
  info["tokenSnippet"] = catalog::text(token, "tokenSnippet");
  info["createdAt"] = catalog::text(token, "createdAt");
  for (auto key : {"labels", "models", "limits"}) {
    const json::value* v = token.if_contains(key);
    info[key] = v != nullptr && v->is_array() ? *v : json::array();
  }
  std::string_view mode = catalog::text(token, "limitsMode");
  info["limitsMode"] = mode.empty() ? "replace" : mode;
  return info;
}

json::object project_view(const json::object& project, const std::vector<json::object>& all_tokens) {
  json::object view = project;
  for (auto key : {"models", "policies", "budgets", "members"})
    if (const json::value* v = view.if_contains(key); v == nullptr || !v->is_array())
      view[key] = json::array();
  json::array tokens;
  std::string_view id = catalog::text(project, "id");
  for (const auto& token : all_tokens)
    if (catalog::text(token, "projectId") == id) tokens.push_back(token_info(token));
  view["tokens"] = std::move(tokens);
  return view;
}

}  // namespace routerly::admin::projects
