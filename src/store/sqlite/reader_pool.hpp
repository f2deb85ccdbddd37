#pragma once
// Read-only connections to the database, apart from the one writer connection, so that reads
// (analytics, exports, session and response lookups) run beside writes and beside each other:
// in WAL mode a reader sees the last committed state and neither waits for the writer nor
// holds it up. Each connection is used by one thread at a time (a Lease); connections are
// opened on demand up to a maximum and kept for reuse.
#include <sqlite3.h>

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <vector>

#include "common/error.hpp"

namespace routerly::store::sqlite {

class ReaderPool {
 public:
  ReaderPool(std::filesystem::path path, std::size_t max_connections);
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  class Lease {
   public:
    Lease(ReaderPool& pool, sqlite3* db) : pool_(&pool), db_(db) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), db_(other.db_) { other.db_ = nullptr; }
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    sqlite3* get() const { return db_; }

   private:
    ReaderPool* pool_;
    sqlite3* db_;
  };

  // An idle connection, a new one while fewer than the maximum are open, or else the first
  // one returned.
  Result<Lease> acquire();

 private:
  void release(sqlite3* db);
  std::filesystem::path path_;
  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<sqlite3*> idle_;
  std::size_t open_ = 0;  // idle or leased
};

}  // namespace routerly::store::sqlite
