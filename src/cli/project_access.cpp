#include "cli/project_access.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "cli/output.hpp"

namespace routerly::cli {
namespace json = boost::json;

std::string project_path(const std::string& project) {
  return "/api/projects/" + url_encode(project);
}

Result<json::object> fetch_project(Api& api, const std::string& project) {
  auto reply = api.call("GET", project_path(project));
  if (!reply) return std::unexpected(reply.error());
  if (!reply->is_object())
    return fail(ErrorCode::internal_error, "the server sent an unexpected project reply");
  return std::move(reply->as_object());
}

json::array array_field(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  return v && v->is_array() ? v->as_array() : json::array();
}

int put_project(const CommandContext& ctx, Api& api, const std::string& project, json::object patch,
                const std::function<std::string(const json::object&)>& summary) {
  const json::value body = std::move(patch);
  auto reply = api.call("PUT", project_path(project), &body);
  if (!reply) return report_error(reply.error());
  if (ctx.global.json) {
    print_json(*reply);
    return 0;
  }
  static const json::object kEmpty;
  std::cout << summary(reply->is_object() ? reply->as_object() : kEmpty) << '\n';
  return 0;
}

int show_project_array(const CommandContext& ctx, const std::string& project, std::string_view key,
                       const std::function<std::string(const json::array&)>& table) {
  Api api(ctx.global);
  auto p = fetch_project(api, project);
  if (!p) return report_error(p.error());
  const json::array items = array_field(*p, key);
  if (ctx.global.json) {
    print_json(items);
  } else {
    std::cout << table(items);
  }
  return 0;
}

int edit_project_array(const CommandContext& ctx, const std::string& project, std::string_view key,
                       const std::function<Result<json::array>(json::array)>& edit,
                       const std::function<std::string(const json::object&)>& summary) {
  Api api(ctx.global);
  auto p = fetch_project(api, project);
  if (!p) return report_error(p.error());
  auto items = edit(array_field(*p, key));
  if (!items) return report_error(items.error());
  json::object patch;
  patch[key] = std::move(*items);
  return put_project(ctx, api, project, std::move(patch), summary);
}

}  // namespace routerly::cli
