#include "config/paths.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "env_guard.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace routerly;
namespace fs = std::filesystem;

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

TEST(ResolvePaths, UsesRouterlyHomeAndCreatesItPrivate) {
  TempDir dir;
  const fs::path home = dir.path() / "a" / "b" / "home";
  EnvGuard env("ROUTERLY_HOME", home.string());
  auto paths = config::resolve_paths();
  ASSERT_TRUE(paths) << paths.error().message;
  EXPECT_EQ(paths->home, home);
  EXPECT_EQ(paths->database, home / "routerly.db");
  EXPECT_EQ(paths->secret, home / "secret");
  ASSERT_TRUE(fs::is_directory(home));
  EXPECT_EQ(mode_of(home), 0700u);
}

TEST(ResolvePaths, TrailingSlashIsDropped) {
  TempDir dir;
  EnvGuard env("ROUTERLY_HOME", (dir.path() / "home").string() + "/");
  auto paths = config::resolve_paths();
  ASSERT_TRUE(paths) << paths.error().message;
  EXPECT_EQ(paths->home, dir.path() / "home");
  EXPECT_EQ(paths->database, dir.path() / "home" / "routerly.db");
}

TEST(ResolvePaths, ExistingHomeIsLeftAsIs) {
  TempDir dir;
  const fs::path home = dir.path() / "home";
  ASSERT_EQ(::mkdir(home.c_str(), 0750), 0);
  EnvGuard env("ROUTERLY_HOME", home.string());
  ASSERT_TRUE(config::resolve_paths());
  EXPECT_EQ(mode_of(home), 0750u);
}

TEST(ResolvePaths, FallsBackToDotRouterlyInHome) {
  TempDir dir;
  EnvGuard unset("ROUTERLY_HOME", std::nullopt);
  EnvGuard home("HOME", dir.path().string());
  auto paths = config::resolve_paths();
  ASSERT_TRUE(paths) << paths.error().message;
  EXPECT_EQ(paths->home, dir.path() / ".routerly");
  EXPECT_TRUE(fs::is_directory(dir.path() / ".routerly"));
  EXPECT_EQ(mode_of(dir.path() / ".routerly"), 0700u);
}

TEST(ResolvePaths, HomeThatIsAFileIsAnError) {
  TempDir dir;
  const fs::path file = dir.path() / "file";
  std::ofstream(file) << "x";
  EnvGuard env("ROUTERLY_HOME", file.string());
  auto paths = config::resolve_paths();
  ASSERT_FALSE(paths);
  EXPECT_EQ(paths.error().code, ErrorCode::internal_error);
}

TEST(ResolvePaths, DashboardDirFromEnvOrNextToExecutable) {
  TempDir dir;
  EnvGuard home("ROUTERLY_HOME", (dir.path() / "home").string());
  {
    EnvGuard dashboard("ROUTERLY_DASHBOARD_DIR", (dir.path() / "ui").string());
    auto paths = config::resolve_paths();
    ASSERT_TRUE(paths);
    EXPECT_EQ(paths->dashboard, dir.path() / "ui");
  }
  EnvGuard dashboard("ROUTERLY_DASHBOARD_DIR", std::nullopt);
  auto paths = config::resolve_paths();
  ASSERT_TRUE(paths);
  EXPECT_EQ(paths->dashboard, fs::read_symlink("/proc/self/exe").parent_path() / "dashboard");
}

}  // namespace
