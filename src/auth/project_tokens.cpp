#include "auth/project_tokens.hpp"

#include "common/crypto.hpp"

namespace routerly::auth {

namespace {
constexpr std::string_view kPrefix = "sk-rt-";
constexpr std::size_t kRandomBytes = 32;
constexpr std::size_t kSnippetChars = 10;
}  // namespace

NewProjectToken generate_project_token() {
  NewProjectToken token;
  token.value = std::string(kPrefix) + crypto::random_hex(kRandomBytes);
  token.hash = hash_project_token(token.value);
  token.snippet = token.value.substr(0, kSnippetChars);
  return token;
}

bool looks_like_project_token(std::string_view text) {
  if (text.size() != kPrefix.size() + 2 * kRandomBytes || !text.starts_with(kPrefix)) return false;
  for (const char c : text.substr(kPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string hash_project_token(std::string_view value) {
  return crypto::sha256_hex(value);
}

}  // namespace routerly::auth
