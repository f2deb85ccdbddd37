#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <utility>

#include "app/config_transfer.hpp"
#include "app/serve.hpp"
#include "cli/commands.hpp"

namespace routerly::app {

int run_cli(int argc, char** argv) {
  CLI::App cli{"Routerly — a self-hosted LLM API gateway"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string(ROUTERLY_VERSION));
  // Global options (--url, --alias, --json) may follow the subcommand.
  cli.fallthrough();

  ServeFlags serve_flags;
  auto* serve_cmd = cli.add_subcommand("serve", "Run the gateway (LLM proxy, management API, dashboard)");
  serve_cmd->add_option("--host", serve_flags.host, "Listen address (overrides ROUTERLY_HOST and settings)");
  serve_cmd->add_option("--port", serve_flags.port, "Listen port (overrides ROUTERLY_PORT and settings)")
      ->check(CLI::Range(0, 65535));

  auto* config_cmd = cli.add_subcommand("config", "Export or import all configuration as JSON");
  config_cmd->require_subcommand(1);
  std::string export_path;
  auto* export_cmd = config_cmd->add_subcommand("export", "Write the configuration (no secrets) as JSON");
  export_cmd->add_option("-o,--output", export_path, "File to write (default: standard output)");
  std::string import_path;
  auto* import_cmd = config_cmd->add_subcommand("import", "Merge an exported configuration into the store");
  import_cmd->add_option("file", import_path, "Export file to read ('-' for standard input)")->required();

  auto client = std::make_shared<cli::CommandContext>();
  cli::register_client_commands(cli, client);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  if (serve_cmd->parsed()) return serve(serve_flags);
  if (export_cmd->parsed()) return run_config_export(export_path);
  if (import_cmd->parsed()) return run_config_import(import_path);
  // The action usually holds the context that holds it: taken out, the pair is freed on return.
  if (cli::Action action = std::exchange(client->action, nullptr)) return action();
  return 2;
}

}  // namespace routerly::app
