#include "app/cli.hpp"

int main(int argc, char** argv) { return routerly::app::run_cli(argc, argv); }
