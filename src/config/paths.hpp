#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "common/error.hpp"

namespace routerly::config {

struct Paths {
  std::filesystem::path home;       // $ROUTERLY_HOME or ~/.routerly
  std::filesystem::path database;   // home/routerly.db
  std::filesystem::path secret;     // home/secret
  std::filesystem::path dashboard;  // directory of the built dashboard files
};

// Resolves from the environment; creates `home` (mode 0700) when missing.
Result<Paths> resolve_paths();

// Reads the 32-byte master secret (stored as 64 hex chars), creating it with mode 0600
// on first start. Returns the raw 32 bytes.
Result<std::string> load_or_create_secret(const std::filesystem::path& path);

}  // namespace routerly::config
