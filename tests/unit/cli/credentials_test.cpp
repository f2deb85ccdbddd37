#include "cli/credentials.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/crypto.hpp"

namespace routerly::cli {
namespace {

namespace fs = std::filesystem;

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    old_home_ = std::getenv("HOME") ? std::getenv("HOME") : "";
    char tmpl[] = "/tmp/routerly-cli-unit-XXXXXX";
    home_ = ::mkdtemp(tmpl);
    ::setenv("HOME", home_.c_str(), 1);
  }
  void TearDown() override {
    ::setenv("HOME", old_home_.c_str(), 1);
    fs::remove_all(home_);
  }
  std::string old_home_;
  std::string home_;
};

TEST_F(CredentialsTest, MissingFileIsEmpty) {
  auto creds = load_credentials();
  ASSERT_TRUE(creds.has_value());
  EXPECT_TRUE(creds->accounts.empty());
  EXPECT_EQ(creds->current_alias, "");
}

TEST_F(CredentialsTest, RoundTripsWithPrivateMode) {
  Credentials c;
  c.upsert(Account{"prod", "https://gw.example", "a@example.com", "tok", 1234567890123, "admin", "rt"});
  c.upsert(Account{"dev", "http://localhost:3000", "b@example.com", "tok2", 5, "viewer", "rt2"});
  c.current_alias = "dev";
  ASSERT_TRUE(save_credentials(c).has_value());

  const fs::path path = fs::path(home_) / ".routerly" / "cli" / "config.json";
  EXPECT_EQ(credentials_path(), path);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto loaded = load_credentials();
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->accounts.size(), 2u);
  EXPECT_EQ(loaded->current_alias, "dev");
  const Account* prod = loaded->find("prod");
  ASSERT_NE(prod, nullptr);
  EXPECT_EQ(prod->server_url, "https://gw.example");
  EXPECT_EQ(prod->expires_at_ms, 1234567890123);
  EXPECT_EQ(prod->refresh_token, "rt");
  EXPECT_EQ(prod->role, "admin");
}

TEST_F(CredentialsTest, UpsertReplacesAndRemoveDeletes) {
  Credentials c;
  c.upsert(Account{"a", "u1", "e", "t", 0, "r", "x"});
  c.upsert(Account{"a", "u2", "e", "t", 0, "r", "x"});
  ASSERT_EQ(c.accounts.size(), 1u);
  EXPECT_EQ(c.accounts[0].server_url, "u2");
  EXPECT_TRUE(c.remove("a"));
  EXPECT_FALSE(c.remove("a"));
  EXPECT_TRUE(c.accounts.empty());
}

TEST_F(CredentialsTest, MalformedFileIsAnError) {
  const fs::path path = fs::path(home_) / ".routerly" / "cli" / "config.json";
  fs::create_directories(path.parent_path());
  std::ofstream(path) << "{not json";
  EXPECT_FALSE(load_credentials().has_value());
}

TEST(JwtExpiry, ReadsTheExpClaim) {
  const std::string token = crypto::base64url_encode(R"({"alg":"HS256"})") + "." +
                            crypto::base64url_encode(R"({"sub":"u","exp":1700000000})") + ".sig";
  EXPECT_EQ(jwt_expiry_seconds(token), 1700000000);
  EXPECT_FALSE(jwt_expiry_seconds("garbage").has_value());
  EXPECT_FALSE(jwt_expiry_seconds("a.b.c").has_value());
  const std::string no_exp =
      crypto::base64url_encode("{}") + "." + crypto::base64url_encode(R"({"sub":"u"})") + ".sig";
  EXPECT_FALSE(jwt_expiry_seconds(no_exp).has_value());
}

}  // namespace
}  // namespace routerly::cli
