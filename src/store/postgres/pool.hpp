#pragma once
// A pool of connections to one database, each used by one thread at a time and keeping its own
// prepared statements. Connections are opened on demand up to the maximum; a connection whose
// server side went away (a restart, an administrator's pg_terminate_backend, a network cut) is
// dropped when it is returned, and the next caller gets a fresh one.
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/connection.hpp"

namespace routerly::store::postgres {

class Pool {
 public:
  Pool(std::string url, ConnectOptions options, std::size_t max_connections);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> conn, bool reused);
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }
    // The connection failed on its first command after waiting idle in the pool: it had died
    // meanwhile, and nothing of this lease reached the server.
    bool died_idle() const { return reused_ && conn_->broken() && conn_->successes() == successes_at_start_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
    bool reused_;
    int64_t successes_at_start_;
  };

  // An idle connection, a new one while fewer than the maximum are open, or else the first one
  // returned. Fails (as a value) when a new connection cannot be made.
  Result<Lease> acquire();

  // Runs `work(connection)` on a leased connection. When the connection turns out to have died
  // while idle, the work runs again on the next one (each dead one is dropped, so this ends at a
  // fresh connection at the latest): a server restart costs no call.
  template <typename Work>
  auto run(Work&& work) -> decltype(work(std::declval<Connection&>())) {
    for (;;) {
      auto lease = acquire();
      if (!lease) return std::unexpected(lease.error());
      auto result = work(**lease);
      if (result || !lease->died_idle()) return result;
    }
  }

 private:
  void release(std::unique_ptr<Connection> conn);

  std::string url_;
  ConnectOptions options_;
  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle, leased or being opened
};

// BEGIN on construction (through begin()); rolls back on destruction unless commit() succeeded,
// so an early `return` on error undoes everything.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& conn, const std::string& begin_sql = "BEGIN");
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(Connection& conn) : conn_(&conn) {}
  Connection* conn_;
};

}  // namespace routerly::store::postgres
