#include "config/paths.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/crypto.hpp"

namespace routerly::config {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kSecretBytes = 32;

std::unexpected<Error> io_error(std::string_view what, const fs::path& path, int err) {
  return fail(ErrorCode::internal_error, std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

Result<fs::path> user_home() {
  if (auto home = env("HOME")) return fs::path(*home);
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr) {
    return fs::path(pw->pw_dir);
  }
  return fail(ErrorCode::internal_error, "cannot find the home directory: set ROUTERLY_HOME or HOME");
}

// Parents get the usual permissions; the home directory itself is private (0700).
Result<void> ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  if (ec)
    return fail(ErrorCode::internal_error,
                "cannot create " + dir.parent_path().string() + ": " + ec.message());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return io_error("cannot create", dir, errno);
  if (!fs::is_directory(dir, ec))
    return fail(ErrorCode::internal_error, dir.string() + " is not a directory");
  return {};
}

fs::path default_dashboard_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fs::current_path(ec) / "dashboard";
  return exe.parent_path() / "dashboard";
}

bool is_hex64(std::string_view text) {
  if (text.size() != 2 * kSecretBytes) return false;
  for (char c : text) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto first = s.find_first_not_of(ws);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

Result<void> write_all(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot write", path, errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<std::string> create_secret(const fs::path& path, int fd) {
  std::string raw = crypto::random_bytes(kSecretBytes);
  auto written = write_all(fd, crypto::to_hex(raw) + "\n", path);
  if (written && ::fsync(fd) != 0) written = io_error("cannot sync", path, errno);
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());  // never leave a truncated secret behind
    return std::unexpected(written.error());
  }
  return raw;
}

Result<std::string> read_secret(const fs::path& path) {
  // Symlinks are followed: mounted secrets (Docker, Kubernetes) are usually links.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return io_error("cannot stat", path, err);
  }
  // The secret protects everything else: keep it owner-only even if someone loosened it.
  // A read-only mount or a file owned by someone else cannot be changed by us; use it as is.
  if ((st.st_mode & 0077) != 0 && ::fchmod(fd, 0600) != 0 && errno != EROFS && errno != EPERM) {
    int err = errno;
    ::close(fd);
    return io_error("cannot restrict permissions of", path, err);
  }
  std::string content;
  char buffer[256];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return io_error("cannot read", path, err);
    }
    if (n == 0 || content.size() > 4096) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  std::string_view hex = trim(content);
  if (!is_hex64(hex)) {
    return fail(ErrorCode::internal_error, "secret file " + path.string() + " must hold 64 hex characters");
  }
  auto raw = crypto::from_hex(hex);
  if (!raw) return fail(ErrorCode::internal_error, "secret file " + path.string() + " is not valid hex");
  return std::move(*raw);
}

}  // namespace

Result<Paths> resolve_paths() {
  fs::path home;
  if (auto configured = env("ROUTERLY_HOME")) {
    home = *configured;
  } else {
    auto user = user_home();
    if (!user) return std::unexpected(user.error());
    home = *user / ".routerly";
  }
  std::error_code ec;
  home = fs::absolute(home, ec).lexically_normal();
  if (ec) return fail(ErrorCode::internal_error, "cannot resolve ROUTERLY_HOME: " + ec.message());
  if (!home.has_filename() && home.has_parent_path()) home = home.parent_path();  // drop trailing '/'
  if (auto ok = ensure_private_dir(home); !ok) return std::unexpected(ok.error());

  Paths paths;
  paths.home = home;
  paths.database = home / "routerly.db";
  paths.secret = home / "secret";
  if (auto dashboard = env("ROUTERLY_DASHBOARD_DIR")) {
    paths.dashboard = fs::absolute(*dashboard, ec).lexically_normal();
  } else {
    paths.dashboard = default_dashboard_dir();
  }
  return paths;
}

Result<std::string> load_or_create_secret(const fs::path& path) {
  crypto::initialize();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) return create_secret(path, fd);
  if (errno != EEXIST) return io_error("cannot create", path, errno);
  return read_secret(path);
}

}  // namespace routerly::config
