#include "app/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

namespace routerly::app {

void configure_logging(std::string_view level) {
  auto logger = spdlog::stderr_color_mt("routerly");
  spdlog::set_default_logger(logger);
  const char* format = std::getenv("ROUTERLY_LOG_FORMAT");
  if (format && std::string_view(format) == "json") {
    // Messages are plain text without quotes by convention; the level and time are structured.
    spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})", spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %v", spdlog::pattern_time_type::utc);
  }
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
}

}  // namespace routerly::app
