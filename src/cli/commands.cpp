#include "cli/commands.hpp"

namespace routerly::cli {

void register_client_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx) {
  app.add_option("--url", ctx->global.url, "Server URL (overrides the saved account's)");
  app.add_option("--alias", ctx->global.alias, "Saved account to use");
  app.add_flag("--json", ctx->global.json, "Machine-readable JSON output");
  register_auth_commands(app, ctx);
  register_model_commands(app, ctx);
  register_project_commands(app, ctx);
  register_user_commands(app, ctx);
  register_role_commands(app, ctx);
  register_report_commands(app, ctx);
  register_service_commands(app, ctx);
}

}  // namespace routerly::cli
