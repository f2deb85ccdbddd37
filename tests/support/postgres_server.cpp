#include "support/postgres_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace {

constexpr const char* kTestUser = "routerly-test";

std::filesystem::path find_bin_dir() {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    if (std::filesystem::exists(entry.path() / "bin" / "initdb") &&
        std::filesystem::exists(entry.path() / "bin" / "pg_ctl"))
      found.push_back(entry.path() / "bin");
  }
  if (found.empty())
    throw std::runtime_error(
        "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb and pg_ctl): install the "
        "test dependencies with scripts/install-test-deps.sh (Debian's postgresql package)");
  std::sort(found.begin(), found.end());
  return found.back();  // the newest version
}

uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string tail_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
}

}  // namespace

PostgresServer::PostgresServer() : bin_dir_(find_bin_dir()) {
  std::string pattern = (std::filesystem::temp_directory_path() / "routerly-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
  dir_ = pattern;
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam(kTestUser);
    if (user == nullptr)
      throw std::runtime_error(std::string("running as root, PostgreSQL needs the unprivileged user ") +
                               kTestUser + ": create it with scripts/install-test-deps.sh");
    if (::chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0)
      throw std::runtime_error("cannot hand " + dir_.string() + " to " + kTestUser);
    run_as_ = kTestUser;
  }
  run({(bin_dir_ / "initdb").string(), "-D", (dir_ / "data").string(), "-U", "postgres", "--auth=trust",
       "--encoding=UTF8", "--locale=C", "--no-sync"},
      "initdb");
  port_ = free_port();
  start();
}

PostgresServer::~PostgresServer() {
  try {
    if (running_) stop();
  } catch (const std::exception&) {
    // the directory goes anyway; a server that outlives it shuts itself down
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

void PostgresServer::run(const std::vector<std::string>& argv, const std::string& what) const {
  std::vector<std::string> full;
  if (!run_as_.empty()) full = {"runuser", "-u", run_as_, "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  const std::filesystem::path log = dir_ / (what + ".out");
  std::vector<char*> args;  // built before fork: the child only calls async-signal-safe functions
  for (auto& a : full) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("cannot fork to run " + what);
  if (pid == 0) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out >= 0) {
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
    }
    if (::chdir(dir_.c_str()) != 0) ::_exit(126);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(what + " failed (status " + std::to_string(status) + "):\n" + tail_of(log) +
                             tail_of(dir_ / "server.log"));
}

void PostgresServer::start() {
  const std::string options =
      "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
      " -c unix_socket_directories=" + dir_.string() +
      " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
  run({(bin_dir_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-l", (dir_ / "server.log").string(),
       "-w", "-t", "60", "-o", options, "start"},
      "pg_ctl_start");
  running_ = true;
}

void PostgresServer::stop() {
  run({(bin_dir_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-w", "-t", "60", "-m", "fast",
       "stop"},
      "pg_ctl_stop");
  running_ = false;
}

std::string PostgresServer::url(const std::string& database) const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::create_database() {
  const std::string name = "test_" + std::to_string(++databases_);
  query("postgres", "CREATE DATABASE " + name);
  return url(name);
}

std::string PostgresServer::query(const std::string& database, const std::string& sql) const {
  PGconn* conn = PQconnectdb(url(database).c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect to the test server: " + message);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  std::string value;
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0) value = PQgetvalue(result, 0, 0);
  const std::string message = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    throw std::runtime_error("test query failed: " + sql + ": " + message);
  return value;
}
