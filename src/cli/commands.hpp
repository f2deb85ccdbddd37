#pragma once
// The client subcommands of `routerly` (auth, model, project, user, role, report, status, service), talking
// to a running server's management API. Each registrar adds its group to `app`; the command that was chosen
// stores its runner in `action`, which the caller takes out and runs after parsing (the runner may hold
// the context: left in place, the two would keep each other alive).
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

#include "cli/api.hpp"

namespace routerly::cli {

using Action = std::function<int()>;

struct CommandContext {
  GlobalOptions global;
  Action action;
};

// Adds --url, --alias, --json and every client group to `app`.
void register_client_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx);

void register_auth_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx);
void register_model_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx);
void register_project_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx);
void register_user_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx);
void register_role_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx);
// Adds `member` under the `project` group.
void register_member_commands(CLI::App& project, const std::shared_ptr<CommandContext>& ctx);
// Add `show` and `edit`, `model …`, and `routing …` plus `policy …` under the `project` group.
void register_project_show_edit_commands(CLI::App& project, const std::shared_ptr<CommandContext>& ctx);
void register_project_model_commands(CLI::App& project, const std::shared_ptr<CommandContext>& ctx);
void register_project_routing_commands(CLI::App& project, const std::shared_ptr<CommandContext>& ctx);
// Adds `edit` under `project token`.
void register_token_edit_command(CLI::App& token, const std::shared_ptr<CommandContext>& ctx);
void register_report_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx);
void register_service_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx);

}  // namespace routerly::cli
