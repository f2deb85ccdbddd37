// `project show <p>` and `project edit <p> [--name --slug --timeout]`.
#include <boost/json.hpp>
#include <iostream>
#include <optional>

#include "cli/output.hpp"
#include "cli/project_access.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct EditFlags {
  std::string project;
  std::string name;
  std::string slug;
  std::optional<std::int64_t> timeout_ms;
};

std::string count_of(const json::object& p, std::string_view key) {
  return std::to_string(array_field(p, key).size());
}

std::string model_ids(const json::object& p) {
  std::string out;
  for (const auto& m : array_field(p, "models")) {
    out += out.empty() ? "" : ",";
    out += m.is_string() ? std::string(m.as_string()) : field_text(m, "modelId");
  }
  return out;
}

// Enabled policies in order; disabled ones are marked.
std::string policy_list(const json::object& p) {
  std::string out;
  for (const auto& policy : array_field(p, "policies")) {
    out += out.empty() ? "" : ",";
    if (policy.is_string()) {
      out += policy.as_string();
      continue;
    }
    out += field_text(policy, "type");
    if (field_text(policy, "enabled") == "no") out += " (off)";
  }
  return out;
}

int run_show(const CommandContext& ctx, const std::string& project) {
  Api api(ctx.global);
  auto p = fetch_project(api, project);
  if (!p) return report_error(p.error());
  if (ctx.global.json) {
    print_json(*p);
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"id", field_text(*p, "id")},
      {"name", field_text(*p, "name")},
      {"slug", field_text(*p, "slug")},
      {"timeout ms", field_text(*p, "timeoutMs")},
      {"created", field_text(*p, "createdAt")},
      {"models", model_ids(*p)},
      {"policies", policy_list(*p)},
      {"budgets", count_of(*p, "budgets")},
      {"members", count_of(*p, "members")},
      {"tokens", count_of(*p, "tokens")},
  };
  if (p->contains("routingModelId")) rows.push_back({"routing model", field_text(*p, "routingModelId")});
  if (p->contains("autoRouting")) rows.push_back({"auto routing", field_text(*p, "autoRouting")});
  std::cout << format_table({"field", "value"}, rows);
  return 0;
}

}  // namespace

void register_project_show_edit_commands(CLI::App& project, const std::shared_ptr<CommandContext>& ctx) {
  auto target = std::make_shared<std::string>();
  auto* show = project.add_subcommand("show", "Show one project");
  show->add_option("project", *target, "Project slug or id")->required();
  show->callback([ctx, target] { ctx->action = [ctx, target] { return run_show(*ctx, *target); }; });

  auto f = std::make_shared<EditFlags>();
  auto* edit = project.add_subcommand("edit", "Rename a project or change its slug or timeout");
  edit->add_option("project", f->project, "Project slug or id")->required();
  edit->add_option("--name", f->name, "New name");
  edit->add_option("--slug", f->slug, "New slug (lowercase letters, digits and '-')");
  edit->add_option("--timeout", f->timeout_ms, "Request timeout in milliseconds (1000-3600000)");
  edit->callback([ctx, f, edit] {
    const bool name_given = edit->count("--name") > 0;
    const bool slug_given = edit->count("--slug") > 0;
    ctx->action = [ctx, f, name_given, slug_given] {
      json::object patch;
      if (name_given) patch["name"] = f->name;
      if (slug_given) patch["slug"] = f->slug;
      if (f->timeout_ms) patch["timeoutMs"] = *f->timeout_ms;
      if (patch.empty()) {
        return report_error(
            {ErrorCode::validation_error, "nothing to change: give --name, --slug or --timeout"});
      }
      Api api(ctx->global);
      return put_project(*ctx, api, f->project, std::move(patch), [](const json::object& p) {
        return "Updated project " + field_text(p, "slug") + " (" + field_text(p, "name") + ")";
      });
    };
  });
}

}  // namespace routerly::cli
