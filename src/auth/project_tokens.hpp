#pragma once
#include <string>
#include <string_view>

namespace routerly::auth {

struct NewProjectToken {
  std::string value;    // "sk-rt-" + 64 lowercase hex; shown once
  std::string hash;     // sha256 hex of value; the only thing stored
  std::string snippet;  // first 10 chars, e.g. "sk-rt-3fa9"
};

NewProjectToken generate_project_token();
// True when the text has the exact shape of a project token.
bool looks_like_project_token(std::string_view text);
std::string hash_project_token(std::string_view value);

}  // namespace routerly::auth
