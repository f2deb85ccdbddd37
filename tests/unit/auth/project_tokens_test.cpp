#include "auth/project_tokens.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "common/crypto.hpp"

namespace routerly::auth {
namespace {

TEST(ProjectTokens, FormatHashAndSnippet) {
  crypto::initialize();
  const NewProjectToken token = generate_project_token();
  EXPECT_TRUE(std::regex_match(token.value, std::regex("^sk-rt-[0-9a-f]{64}$"))) << token.value;
  EXPECT_EQ(token.value.size(), 70U);
  EXPECT_EQ(token.hash, crypto::sha256_hex(token.value));
  EXPECT_EQ(token.hash, hash_project_token(token.value));
  EXPECT_TRUE(std::regex_match(token.hash, std::regex("^[0-9a-f]{64}$")));
  EXPECT_EQ(token.snippet, token.value.substr(0, 10));
  EXPECT_TRUE(token.snippet.starts_with("sk-rt-"));
  EXPECT_EQ(token.snippet.size(), 10U);
}

TEST(ProjectTokens, Unique) {
  crypto::initialize();
  std::set<std::string> values;
  for (int i = 0; i < 200; ++i) values.insert(generate_project_token().value);
  EXPECT_EQ(values.size(), 200U);
}

TEST(ProjectTokens, HashIsSha256OfTheFullValue) {
  EXPECT_EQ(hash_project_token("sk-rt-abc"), crypto::sha256_hex("sk-rt-abc"));
  EXPECT_NE(hash_project_token("sk-rt-abc"), hash_project_token("sk-rt-abd"));
}

TEST(ProjectTokens, LooksLikeProjectToken) {
  crypto::initialize();
  EXPECT_TRUE(looks_like_project_token(generate_project_token().value));
  const std::string hex(64, 'a');
  EXPECT_TRUE(looks_like_project_token("sk-rt-" + hex));
  EXPECT_FALSE(looks_like_project_token("sk-rt-" + hex.substr(1)));
  EXPECT_FALSE(looks_like_project_token("sk-rt-" + hex + "a"));
  EXPECT_FALSE(looks_like_project_token("sk-rt-" + std::string(64, 'A')));
  EXPECT_FALSE(looks_like_project_token("sk-rt-" + std::string(63, 'a') + "g"));
  EXPECT_FALSE(looks_like_project_token("sk-xx-" + hex));
  EXPECT_FALSE(looks_like_project_token(" sk-rt-" + hex.substr(1)));
  EXPECT_FALSE(looks_like_project_token(""));
}

}  // namespace
}  // namespace routerly::auth
