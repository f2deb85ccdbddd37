#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace routerly::app {

struct ServeFlags {
  std::optional<std::string> host;
  std::optional<uint16_t> port;
};

// The `serve` composition root: wires store, config, auth, admin API and HTTP server, then
// serves until SIGTERM/SIGINT. Returns the exit code (0 after a graceful drain).
int serve(const ServeFlags& flags);

}  // namespace routerly::app
