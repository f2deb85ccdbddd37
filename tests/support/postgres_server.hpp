#pragma once
// A real PostgreSQL server for tests: Debian's binaries (/usr/lib/postgresql/<version>/bin),
// a cluster made by initdb in a fresh temporary directory, started by pg_ctl on a free
// loopback port (its socket in that directory too), with fsync off for speed. As root, the
// server runs as the unprivileged user routerly-test (PostgreSQL refuses root), which
// scripts/install-test-deps.sh creates. Missing binaries or a missing user are errors that say
// so: a test that needs the server fails, it never skips.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

class PostgresServer {
 public:
  // Makes the cluster and starts the server; throws std::runtime_error saying what failed.
  PostgresServer();
  // Stops the server and removes its directory.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // The test binary's server: started on first use, stopped when the process exits.
  static PostgresServer& shared();

  // A new, empty database (named uniquely within this server), as a postgres:// URL.
  std::string create_database();
  // The URL of `database` on this server (trust authentication: no password).
  std::string url(const std::string& database) const;
  uint16_t port() const { return port_; }

  // Runs SQL as the superuser on `database`; returns the first column of the first row ("" when
  // there is none). Throws on an error.
  std::string query(const std::string& database, const std::string& sql) const;

  // Takes the server down (fast shutdown: clients are disconnected) and brings it back on the
  // same port with the same data.
  void stop();
  void start();

 private:
  void run(const std::vector<std::string>& argv, const std::string& what) const;

  std::filesystem::path bin_dir_;
  std::filesystem::path dir_;
  std::string run_as_;  // empty: ourselves
  uint16_t port_ = 0;
  bool running_ = false;
  int databases_ = 0;
};
