#include <boost/json.hpp>

#include "cli/listing.hpp"
#include "cli/output.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct RoleFlags {
  std::string id;
  std::string name;
  std::string permissions;
  bool permissions_given = false;
};

std::string permissions_cell(const json::value& role) {
  std::string out;
  if (!role.is_object()) return out;
  const auto* list = role.as_object().if_contains("permissions");
  if (!list || !list->is_array()) return out;
  for (const auto& p : list->as_array()) {
    if (!out.empty()) out += ",";
    if (p.is_string()) out += p.as_string();
  }
  return out;
}

json::array permissions_array(const std::string& text) {
  json::array out;
  for (const auto& p : split_list(text)) out.emplace_back(p);
  return out;
}

}  // namespace

void register_role_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx) {
  auto* role = app.add_subcommand("role", "Manage global roles");
  role->require_subcommand(1);

  role->add_subcommand("list", "List roles (built-ins first)")->callback([ctx] {
    ctx->action = [ctx] {
      return run_listing(*ctx, "/api/roles",
                         {field_column("id", "id"), field_column("name", "name"),
                          field_column("built-in", "builtin"), Column{"permissions", permissions_cell}});
    };
  });

  auto f = std::make_shared<RoleFlags>();
  auto* add = role->add_subcommand("add", "Create a custom role");
  add->add_option("--name", f->name, "Role name")->required();
  add->add_option("--id", f->id, "Role id (default: derived from the name)");
  add->add_option("--permissions", f->permissions,
                  "Comma-separated permissions, e.g. project:read,report:read");
  add->callback([ctx, f] {
    ctx->action = [ctx, f] {
      json::object body{{"name", f->name}, {"permissions", permissions_array(f->permissions)}};
      if (!f->id.empty()) body["id"] = f->id;
      const json::value value = std::move(body);
      return run_change(*ctx, "POST", "/api/roles", &value,
                        [](const json::value& r) { return "Added role " + field_text(r, "id"); });
    };
  });

  auto* edit = role->add_subcommand("edit", "Change a custom role");
  edit->add_option("id", f->id, "Role id")->required();
  edit->add_option("--name", f->name, "New name");
  edit->add_option("--permissions", f->permissions, "Comma-separated permissions (replaces the list)");
  edit->callback([ctx, f, edit] {
    const bool with_permissions = edit->count("--permissions") > 0;
    ctx->action = [ctx, f, with_permissions] {
      json::object body;
      if (!f->name.empty()) body["name"] = f->name;
      if (with_permissions) body["permissions"] = permissions_array(f->permissions);
      const json::value value = std::move(body);
      return run_change(*ctx, "PUT", "/api/roles/" + url_encode(f->id), &value,
                        [](const json::value& r) { return "Updated role " + field_text(r, "id"); });
    };
  });

  auto* remove = role->add_subcommand("remove", "Delete a custom role");
  remove->add_option("id", f->id, "Role id")->required();
  remove->callback([ctx, f] {
    ctx->action = [ctx, f] {
      return run_change(*ctx, "DELETE", "/api/roles/" + url_encode(f->id), nullptr,
                        [f](const json::value&) { return "Removed role " + f->id; });
    };
  });
}

}  // namespace routerly::cli
