#pragma once
namespace routerly::app {
// Parses the command line and runs the subcommand. Returns the process exit code.
int run_cli(int argc, char** argv);
}  // namespace routerly::app
