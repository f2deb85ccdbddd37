// `project model list|add|remove|set-prompt`: a project's candidate pool (its `models` array,
// each entry {modelId, prompt?, limitsMode?, limits?}). Changes GET the project and PUT the
// whole array back, so the other entries keep their prompts and limits.
#include <boost/json.hpp>
#include <iostream>
#include <optional>

#include "cli/output.hpp"
#include "cli/project_access.hpp"
#include "cli/routing_edit.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct PoolFlags {
  std::string project;
  std::string model;
  std::string prompt;
};

std::string limits_cell(const json::value& entry) {
  if (!entry.is_object()) return "";
  const auto* limits = entry.as_object().if_contains("limits");
  if (!limits || !limits->is_array() || limits->as_array().empty()) return "";
  return std::to_string(limits->as_array().size());
}

int change_pool(const CommandContext& ctx, const std::string& project,
                const std::function<Result<json::array>(json::array)>& edit, const std::string& done) {
  return edit_project_array(ctx, project, "models", edit,
                            [done](const json::object& updated) { return done + " " + field_text(updated, "slug"); });
}

}  // namespace

void register_project_model_commands(CLI::App& project, const std::shared_ptr<CommandContext>& ctx) {
  auto* model = project.add_subcommand("model", "Manage a project's candidate models");
  model->require_subcommand(1);
  auto f = std::make_shared<PoolFlags>();

  auto* list = model->add_subcommand("list", "List the project's models with their routing prompts");
  list->add_option("project", f->project, "Project slug or id")->required();
  list->callback([ctx, f] {
    ctx->action = [ctx, f] {
      return show_project_array(*ctx, f->project, "models", [](const json::array& models) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& m : models) {
          rows.push_back({m.is_string() ? std::string(m.as_string()) : field_text(m, "modelId"),
                          field_text(m, "prompt"), field_text(m, "limitsMode"), limits_cell(m)});
        }
        return format_table({"model", "prompt", "limits mode", "limits"}, rows);
      });
    };
  });

  auto* add = model->add_subcommand("add", "Add a model to the project");
  add->add_option("project", f->project, "Project slug or id")->required();
  add->add_option("model", f->model, "Model id")->required();
  add->add_option("--prompt", f->prompt, "When to choose this model (read by the llm policy)");
  add->callback([ctx, f, add] {
    const bool with_prompt = add->count("--prompt") > 0;
    ctx->action = [ctx, f, with_prompt] {
      const std::string id = f->model;
      const std::optional<std::string> prompt = with_prompt ? std::optional(f->prompt) : std::nullopt;
      return change_pool(
          *ctx, f->project,
          [id, prompt](json::array models) { return add_pool_model(std::move(models), id, prompt); },
          "Added " + id + " to");
    };
  });

  auto* remove = model->add_subcommand("remove", "Remove a model from the project");
  remove->add_option("project", f->project, "Project slug or id")->required();
  remove->add_option("model", f->model, "Model id")->required();
  remove->callback([ctx, f] {
    ctx->action = [ctx, f] {
      const std::string id = f->model;
      return change_pool(
          *ctx, f->project, [id](json::array models) { return remove_pool_model(models, id); },
          "Removed " + id + " from");
    };
  });

  auto* set_prompt =
      model->add_subcommand("set-prompt", "Set (or with an empty text clear) a model's prompt");
  set_prompt->add_option("project", f->project, "Project slug or id")->required();
  set_prompt->add_option("model", f->model, "Model id")->required();
  set_prompt->add_option("--prompt", f->prompt, "The prompt text")->required();
  set_prompt->callback([ctx, f] {
    ctx->action = [ctx, f] {
      const std::string id = f->model;
      const std::string prompt = f->prompt;
      return change_pool(
          *ctx, f->project,
          [id, prompt](json::array models) { return set_pool_prompt(std::move(models), id, prompt); },
          "Set the prompt of " + id + " in");
    };
  });
}

}  // namespace routerly::cli
