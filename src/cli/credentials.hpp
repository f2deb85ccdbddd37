#pragma once
// Saved CLI accounts: ~/.routerly/cli/config.json (mode 0600), relative to $HOME.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace routerly::cli {

struct Account {
  std::string alias;
  std::string server_url;
  std::string email;
  std::string token;
  std::int64_t expires_at_ms = 0;
  std::string role;
  std::string refresh_token;
};

struct Credentials {
  std::vector<Account> accounts;
  std::string current_alias;

  Account* find(const std::string& alias);
  // Inserts or replaces the account with the same alias.
  void upsert(Account account);
  bool remove(const std::string& alias);
};

std::filesystem::path credentials_path();
// A missing file is an empty set; an unreadable or malformed one is an error.
Result<Credentials> load_credentials();
// Writes atomically with mode 0600 (the directory 0700).
Result<void> save_credentials(const Credentials& credentials);

// The `exp` claim (seconds) of a JWT, read without verifying it; nullopt when unreadable.
std::optional<std::int64_t> jwt_expiry_seconds(const std::string& token);

}  // namespace routerly::cli
