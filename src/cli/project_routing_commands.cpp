// `project routing show|update` (policies, candidate prompts and the legacy routing fields) and
// `project routing policy list|enable|disable|reorder` (also reachable as `project policy …`,
// SPEC §11's spelling). Every change is a GET of the project and a PUT of one field.
#include <boost/json.hpp>
#include <iostream>

#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "cli/project_access.hpp"
#include "cli/routing_edit.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct RoutingFlags {
  std::string project;
  std::string routing_model;
  std::string fallback_models;
  bool auto_routing = false;
};

struct PolicyFlags {
  std::string project;
  std::string type;
  std::string config;
  std::string order;
};

std::string config_cell(const json::value& policy) {
  if (!policy.is_object()) return "";
  const auto* c = policy.as_object().if_contains("config");
  return c && !c->is_null() ? json::serialize(*c) : "";
}

std::string policies_table(const json::array& policies) {
  std::vector<std::vector<std::string>> rows;
  int n = 0;
  for (const auto& p : policies) {
    const std::string type = p.is_string() ? std::string(p.as_string()) : field_text(p, "type");
    const std::string enabled = p.is_string() ? "yes" : field_text(p, "enabled");
    rows.push_back({std::to_string(++n), type, enabled.empty() ? "yes" : enabled, config_cell(p)});
  }
  return format_table({"#", "type", "enabled", "config"}, rows);
}

std::string models_table(const json::array& models) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : models) {
    rows.push_back(
        {m.is_string() ? std::string(m.as_string()) : field_text(m, "modelId"), field_text(m, "prompt")});
  }
  return format_table({"model", "prompt"}, rows);
}

std::string join(const json::array& items) {
  std::string out;
  for (const auto& i : items)
    if (i.is_string()) out += (out.empty() ? "" : ",") + std::string(i.as_string());
  return out;
}

std::string or_dash(std::string text) {
  return text.empty() ? "-" : text;
}

// The routing-related part of a project, as `routing show --json` prints it.
json::object routing_view(const json::object& p) {
  const auto* routing = p.if_contains("routingModelId");
  const auto* auto_routing = p.if_contains("autoRouting");
  return json::object{{"id", p.contains("id") ? p.at("id") : json::value()},
                      {"slug", p.contains("slug") ? p.at("slug") : json::value()},
                      {"policies", array_field(p, "policies")},
                      {"models", array_field(p, "models")},
                      {"routingModelId", routing ? *routing : json::value()},
                      {"autoRouting", auto_routing ? *auto_routing : json::value()},
                      {"fallbackRoutingModelIds", array_field(p, "fallbackRoutingModelIds")}};
}

int run_routing_show(const CommandContext& ctx, const std::string& project) {
  Api api(ctx.global);
  auto p = fetch_project(api, project);
  if (!p) return report_error(p.error());
  const json::object view = routing_view(*p);
  if (ctx.global.json) {
    print_json(view);
    return 0;
  }
  std::cout << "Policies (applied in order)\n"
            << policies_table(view.at("policies").as_array()) << "\nTarget models\n"
            << models_table(view.at("models").as_array()) << "\nLegacy routing fields\n"
            << format_table(
                   {"routing model", "auto routing", "fallback models"},
                   {{or_dash(field_text(view, "routingModelId")), or_dash(field_text(view, "autoRouting")),
                     or_dash(join(view.at("fallbackRoutingModelIds").as_array()))}});
  return 0;
}

std::string policy_summary(const std::string& verb, const std::string& type, const json::object& p) {
  return verb + " policy " + type + " on " + field_text(p, "slug") +
         "; order now: " + policy_types_text(array_field(p, "policies"));
}

// GET the project, apply `edit` to its policies, PUT them back.
int change_policies(const CommandContext& ctx, const std::string& project,
                    const std::function<Result<json::array>(json::array)>& edit,
                    const std::function<std::string(const json::object&)>& summary) {
  return edit_project_array(ctx, project, "policies", edit, summary);
}

void register_policy_commands(CLI::App& parent, const std::shared_ptr<CommandContext>& ctx) {
  auto* policy = parent.add_subcommand("policy", "List, enable, disable and order routing policies");
  policy->require_subcommand(1);
  auto f = std::make_shared<PolicyFlags>();

  auto* list = policy->add_subcommand("list", "List the project's policies in the order they apply");
  list->add_option("project", f->project, "Project slug or id")->required();
  list->callback([ctx, f] {
    ctx->action = [ctx, f] {
      return show_project_array(*ctx, f->project, "policies", policies_table);
    };
  });

  auto* enable = policy->add_subcommand("enable", "Enable a policy (added at the end when absent)");
  enable->add_option("project", f->project, "Project slug or id")->required();
  enable
      ->add_option("type", f->type,
                   "Policy type: context, cheapest, health, performance, llm, capability, rate-limit, "
                   "fairness, budget-remaining, semantic-intent")
      ->required();
  enable->add_option("--config", f->config,
                     "Policy configuration as a JSON object (replaces the current one)");
  enable->callback([ctx, f, enable] {
    const bool with_config = enable->count("--config") > 0;
    ctx->action = [ctx, f, with_config] {
      std::optional<json::object> config;
      if (with_config) {
        auto parsed = parse_policy_config(f->config);
        if (!parsed) return report_error(parsed.error());
        config = std::move(*parsed);
      }
      const std::string type = f->type;
      return change_policies(
          *ctx, f->project,
          [type, config](json::array policies) -> Result<json::array> {
            return enable_policy(std::move(policies), type, config);
          },
          [type](const json::object& p) { return policy_summary("Enabled", type, p); });
    };
  });

  auto* disable = policy->add_subcommand("disable", "Disable a policy (keeps its place and configuration)");
  disable->add_option("project", f->project, "Project slug or id")->required();
  disable->add_option("type", f->type, "Policy type")->required();
  disable->callback([ctx, f] {
    ctx->action = [ctx, f] {
      const std::string type = f->type;
      return change_policies(
          *ctx, f->project,
          [type](json::array policies) { return disable_policy(std::move(policies), type); },
          [type](const json::object& p) { return policy_summary("Disabled", type, p); });
    };
  });

  auto* reorder = policy->add_subcommand("reorder", "Put the named policies first, in this order");
  reorder->add_option("project", f->project, "Project slug or id")->required();
  reorder->add_option("order", f->order, "Comma-separated policy types, e.g. health,cheapest")->required();
  reorder->callback([ctx, f] {
    ctx->action = [ctx, f] {
      const std::vector<std::string> order = split_list(f->order);
      return change_policies(
          *ctx, f->project, [order](json::array policies) { return reorder_policies(policies, order); },
          [](const json::object& p) {
            return "Policies of " + field_text(p, "slug") +
                   " now apply in this order: " + policy_types_text(array_field(p, "policies"));
          });
    };
  });
}

}  // namespace

void register_project_routing_commands(CLI::App& project, const std::shared_ptr<CommandContext>& ctx) {
  auto* routing = project.add_subcommand("routing", "Show and change how a project routes requests");
  routing->require_subcommand(1);
  auto f = std::make_shared<RoutingFlags>();

  auto* show = routing->add_subcommand("show", "Policies, target models with prompts and legacy fields");
  show->add_option("project", f->project, "Project slug or id")->required();
  show->callback([ctx, f] { ctx->action = [ctx, f] { return run_routing_show(*ctx, f->project); }; });

  auto* update = routing->add_subcommand("update", "Change the legacy routing fields");
  update->add_option("project", f->project, "Project slug or id")->required();
  update->add_option("--routing-model", f->routing_model, "Routing model id (empty clears it)");
  update->add_option("--fallback-models", f->fallback_models,
                     "Comma-separated fallback model ids (empty clears)");
  update->add_flag("--auto-routing,!--no-auto-routing", f->auto_routing, "Turn auto routing on or off");
  update->callback([ctx, f, update] {
    const bool routing_given = update->count("--routing-model") > 0;
    const bool fallbacks_given = update->count("--fallback-models") > 0;
    const bool auto_given = update->get_option("--auto-routing")->count() > 0;
    ctx->action = [ctx, f, routing_given, fallbacks_given, auto_given] {
      json::object patch;
      if (routing_given) patch["routingModelId"] = f->routing_model;
      if (fallbacks_given) {
        json::array ids;
        for (const auto& id : split_list(f->fallback_models)) ids.emplace_back(id);
        patch["fallbackRoutingModelIds"] = std::move(ids);
      }
      if (auto_given) patch["autoRouting"] = f->auto_routing;
      if (patch.empty()) {
        return report_error({ErrorCode::validation_error,
                             "nothing to change: give --routing-model, --fallback-models, --auto-routing or "
                             "--no-auto-routing"});
      }
      Api api(ctx->global);
      return put_project(*ctx, api, f->project, std::move(patch), [](const json::object& p) {
        return "Updated the routing of " + field_text(p, "slug");
      });
    };
  });

  register_policy_commands(*routing, ctx);
  register_policy_commands(project, ctx);  // SPEC §11 spells it `project policy …`
}

}  // namespace routerly::cli
