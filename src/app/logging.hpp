#pragma once
#include <string_view>

namespace routerly::app {
// Configures the default spdlog logger: JSON lines when ROUTERLY_LOG_FORMAT=json, else
// human-readable lines; level from settings (trace|debug|info|warn|error).
void configure_logging(std::string_view level);
}  // namespace routerly::app
