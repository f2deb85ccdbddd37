#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "common/crypto.hpp"
#include "config/paths.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace routerly;
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

TEST(Secret, CreatedAsLowercaseHexWithOwnerOnlyMode) {
  TempDir dir;
  const fs::path path = dir.path() / "secret";
  auto secret = config::load_or_create_secret(path);
  ASSERT_TRUE(secret) << secret.error().message;
  EXPECT_EQ(secret->size(), 32u);
  EXPECT_EQ(mode_of(path), 0600u);
  const std::string content = read_file(path);
  ASSERT_EQ(content.size(), 65u);
  EXPECT_EQ(content.back(), '\n');
  for (char c : content.substr(0, 64)) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << c;
  EXPECT_EQ(content.substr(0, 64), crypto::to_hex(*secret));
}

TEST(Secret, ReusedOnNextStart) {
  TempDir dir;
  const fs::path path = dir.path() / "secret";
  auto first = config::load_or_create_secret(path);
  auto second = config::load_or_create_secret(path);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);
}

TEST(Secret, DifferentInstallsGetDifferentSecrets) {
  TempDir a;
  TempDir b;
  auto first = config::load_or_create_secret(a.path() / "secret");
  auto second = config::load_or_create_secret(b.path() / "secret");
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
}

TEST(Secret, ExistingFileIsTrimmedAndAcceptsUppercase) {
  TempDir dir;
  const fs::path path = dir.path() / "secret";
  const std::string hex(64, 'A');
  std::ofstream(path) << "  " << hex << "\r\n\n";
  ::chmod(path.c_str(), 0600);
  auto secret = config::load_or_create_secret(path);
  ASSERT_TRUE(secret) << secret.error().message;
  EXPECT_EQ(*secret, std::string(32, '\xaa'));
}

TEST(Secret, BroadModeIsTightened) {
  TempDir dir;
  const fs::path path = dir.path() / "secret";
  auto created = config::load_or_create_secret(path);
  ASSERT_TRUE(created);
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto loaded = config::load_or_create_secret(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, *created);
  EXPECT_EQ(mode_of(path), 0600u);
}

TEST(Secret, InvalidContentIsAnErrorWithoutEchoingIt) {
  TempDir dir;
  const fs::path path = dir.path() / "secret";
  std::ofstream(path) << "not-hex-and-secret-ish-content";
  auto secret = config::load_or_create_secret(path);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::internal_error);
  EXPECT_EQ(secret.error().message.find("secret-ish"), std::string::npos);

  std::ofstream(path) << std::string(62, 'a');  // too short
  EXPECT_FALSE(config::load_or_create_secret(path));
  std::ofstream(path) << std::string(63, 'a') << 'g';  // not hex
  EXPECT_FALSE(config::load_or_create_secret(path));
}

TEST(Secret, MissingDirectoryIsAnError) {
  TempDir dir;
  auto secret = config::load_or_create_secret(dir.path() / "missing" / "secret");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::internal_error);
}

}  // namespace
