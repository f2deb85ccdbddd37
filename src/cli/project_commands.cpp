#include <boost/json.hpp>
#include <optional>

#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "cli/project_access.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct ProjectFlags {
  std::string name;
  std::string slug;
  std::string models;
  std::optional<std::int64_t> timeout_ms;
};

struct TokenFlags {
  std::string project;
  std::string name;
  std::string labels;
};

std::string models_cell(const json::value& project) {
  std::string out;
  if (!project.is_object()) return out;
  const auto* models = project.as_object().if_contains("models");
  if (!models || !models->is_array()) return out;
  for (const auto& m : models->as_array()) {
    if (!out.empty()) out += ",";
    out += m.is_string() ? std::string(m.as_string()) : field_text(m, "modelId");
  }
  return out;
}

std::string labels_cell(const json::value& token) {
  std::string out;
  if (!token.is_object()) return out;
  const auto* labels = token.as_object().if_contains("labels");
  if (!labels || !labels->is_array()) return out;
  for (const auto& l : labels->as_array()) {
    if (!out.empty()) out += ",";
    if (l.is_string()) out += l.as_string();
  }
  return out;
}

json::array string_array(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

void register_project_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx) {
  auto* project = app.add_subcommand("project", "Manage projects (named by slug or id)");
  project->require_subcommand(1);

  project->add_subcommand("list", "List projects")->callback([ctx] {
    ctx->action = [ctx] {
      return run_listing(
          *ctx, "/api/projects",
          {field_column("id", "id"), field_column("name", "name"), field_column("slug", "slug"),
           Column{"models", models_cell}, field_column("timeout ms", "timeoutMs")});
    };
  });

  auto f = std::make_shared<ProjectFlags>();
  auto* add = project->add_subcommand("add", "Create a project (prints its first token once)");
  add->alias("create");  // SPEC §11 spelling
  add->add_option("--name", f->name, "Project name")->required();
  add->add_option("--slug", f->slug, "URL-safe slug (default: from the name)");
  add->add_option("--models", f->models, "Comma-separated model ids");
  add->add_option("--timeout", f->timeout_ms, "Default request timeout in milliseconds");
  add->callback([ctx, f] {
    ctx->action = [ctx, f] {
      json::object body{{"name", f->name}};
      if (!f->slug.empty()) body["slug"] = f->slug;
      if (!f->models.empty()) body["models"] = string_array(split_list(f->models));
      if (f->timeout_ms) body["timeoutMs"] = *f->timeout_ms;
      const json::value value = std::move(body);
      return run_change(*ctx, "POST", "/api/projects", &value, [](const json::value& p) {
        std::string text = "Created project " + field_text(p, "slug") + " (" + field_text(p, "id") + ")";
        const std::string token = field_text(p, "token");
        if (!token.empty()) text += "\nToken (shown once): " + token;
        return text;
      });
    };
  });

  auto target = std::make_shared<std::string>();
  auto* remove = project->add_subcommand("remove", "Delete a project (its usage is kept)");
  remove->add_option("project", *target, "Project slug or id")->required();
  remove->callback([ctx, target] {
    ctx->action = [ctx, target] {
      return run_change(*ctx, "DELETE", project_path(*target), nullptr,
                        [target](const json::value&) { return "Removed project " + *target; });
    };
  });

  register_project_show_edit_commands(*project, ctx);
  register_member_commands(*project, ctx);
  register_project_model_commands(*project, ctx);
  register_project_routing_commands(*project, ctx);

  auto* token = project->add_subcommand("token", "Manage a project's API tokens");
  token->require_subcommand(1);
  auto tf = std::make_shared<TokenFlags>();
  auto* token_list = token->add_subcommand("list", "List a project's tokens");
  token_list->add_option("project", tf->project, "Project slug or id")->required();
  token_list->callback([ctx, tf] {
    ctx->action = [ctx, tf] {
      return run_listing(
          *ctx, project_path(tf->project) + "/tokens",
          {field_column("id", "id"), field_column("name", "name"), field_column("token", "tokenSnippet"),
           Column{"labels", labels_cell}, field_column("created", "createdAt")});
    };
  });
  auto* token_create = token->add_subcommand("create", "Create a token and print its value once");
  token_create->add_option("project", tf->project, "Project slug or id")->required();
  token_create->add_option("--name", tf->name, "Token name");
  token_create->add_option("--labels", tf->labels, "Comma-separated labels");
  token_create->callback([ctx, tf] {
    ctx->action = [ctx, tf] {
      json::object body;
      if (!tf->name.empty()) body["name"] = tf->name;
      if (!tf->labels.empty()) body["labels"] = string_array(split_list(tf->labels));
      const json::value value = std::move(body);
      return run_change(*ctx, "POST", project_path(tf->project) + "/tokens", &value,
                        [](const json::value& reply) { return field_text(reply, "token"); });
    };
  });
  register_token_edit_command(*token, ctx);
  auto token_id = std::make_shared<std::string>();
  auto* token_remove = token->add_subcommand("remove", "Revoke a token");
  token_remove->add_option("project", tf->project, "Project slug or id")->required();
  token_remove->add_option("id", *token_id, "Token id")->required();
  token_remove->callback([ctx, tf, token_id] {
    ctx->action = [ctx, tf, token_id] {
      return run_change(*ctx, "DELETE", project_path(tf->project) + "/tokens/" + url_encode(*token_id),
                        nullptr, [token_id](const json::value&) { return "Removed token " + *token_id; });
    };
  });
}

}  // namespace routerly::cli
