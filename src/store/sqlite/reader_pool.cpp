#include "store/sqlite/reader_pool.hpp"

#include "store/sqlite/statement.hpp"

namespace routerly::store::sqlite {

namespace {

constexpr int kBusyTimeoutMs = 5000;

Result<sqlite3*> open_reader(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error = db_error(raw, "opening a read connection to " + path.string());
    sqlite3_close_v2(raw);
    return std::unexpected(std::move(error));
  }
  sqlite3_extended_result_codes(raw, 1);
  // Readers of a WAL database wait only while a checkpoint restarts the log; bounded anyway.
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  return raw;
}

}  // namespace

ReaderPool::ReaderPool(std::filesystem::path path, std::size_t max_connections)
    : path_(std::move(path)), max_(max_connections == 0 ? 1 : max_connections) {}

ReaderPool::~ReaderPool() {
  // Every lease is gone by now (the store outlives its callers).
  for (sqlite3* db : idle_) sqlite3_close_v2(db);
}

ReaderPool::Lease::~Lease() {
  if (db_ != nullptr) pool_->release(db_);
}

Result<ReaderPool::Lease> ReaderPool::acquire() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      sqlite3* db = idle_.back();
      idle_.pop_back();
      return Lease(*this, db);
    }
    if (open_ < max_) break;
    returned_.wait(lock);
  }
  ++open_;
  lock.unlock();  // opening touches the file system: not under the lock
  auto db = open_reader(path_);
  if (!db) {
    lock.lock();
    --open_;
    returned_.notify_one();
    return std::unexpected(db.error());
  }
  return Lease(*this, *db);
}

void ReaderPool::release(sqlite3* db) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(db);
  }
  returned_.notify_one();
}

}  // namespace routerly::store::sqlite
