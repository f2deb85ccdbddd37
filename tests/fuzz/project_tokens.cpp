// Project tokens as clients present them (Authorization: Bearer / x-api-key): the shape check
// and the hash that looks them up.
#include "harness.hpp"

#include <string>

#include "auth/project_tokens.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  const std::string_view text = fuzz::as_text(data, size);
  const bool shaped = auth::looks_like_project_token(text);
  if (shaped) fuzz::fuzz_require(text.size() == 6 + 64 && text.starts_with("sk-rt-"), "token shape is sk-rt- + 64 hex");
  const std::string hash = auth::hash_project_token(text);
  fuzz::fuzz_require(hash.size() == 64, "the hash is 64 hex characters");
  fuzz::fuzz_require(!auth::looks_like_project_token(hash), "a hash is never taken for a token");
  return 0;
}
