#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/usage_rollup.hpp"

namespace routerly::store {

namespace {

using sqlite::db_error;
using sqlite::exec;
using sqlite::Statement;

constexpr int kBusyTimeoutMs = 5000;

// Creates the file ourselves so that it is born 0600: SQLite would create it with 0644
// (minus umask). SQLite gives the -wal and -shm files the database file's permissions.
Result<void> ensure_private_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::internal_error,
                "cannot create database file " + path.string() + ": " + std::strerror(errno));
  }
  ::close(fd);
  return {};
}

Result<void> configure(sqlite3* db) {
  auto journal = Statement::prepare(db, "PRAGMA journal_mode=WAL");
  if (!journal) return std::unexpected(journal.error());
  auto row = journal->step();
  if (!row) return std::unexpected(row.error());
  if (!*row || journal->text(0) != "wal") {
    return fail(ErrorCode::internal_error, "database does not support WAL journal mode");
  }
  if (auto ok = sqlite::register_rollup_functions(db); !ok) return ok;
  return exec(db,
              "PRAGMA synchronous=NORMAL;"
              "PRAGMA foreign_keys=ON;"
              "PRAGMA busy_timeout=" +
                  std::to_string(kBusyTimeoutMs) + ";");
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite(const std::filesystem::path& db_path) {
  auto store = sqlite::open_sqlite_store(db_path, {});
  if (!store) return std::unexpected(store.error());
  return std::unique_ptr<Store>(std::move(*store));
}

namespace sqlite {

Result<std::unique_ptr<SqliteStore>> open_sqlite_store(const std::filesystem::path& db_path, SqliteOptions options) {
  if (auto ok = ensure_private_file(db_path); !ok) return std::unexpected(ok.error());
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close_v2);
  if (rc != SQLITE_OK) return std::unexpected(db_error(raw, "opening " + db_path.string()));
  sqlite3_extended_result_codes(raw, 1);
  if (auto ok = configure(raw); !ok) return std::unexpected(ok.error());
  if (auto ok = migrate(raw); !ok) return std::unexpected(ok.error());
  return std::make_unique<SqliteStore>(db.release(), db_path, options);
}

SqliteStore::SqliteStore(sqlite3* db, std::filesystem::path path, SqliteOptions options)
    : db_(db), readers_(std::move(path), options.max_readers), options_(options) {
  auto state = read_backfill_state(db_);
  if (state && state->done()) {
    rollups_ready_ = true;
  } else {
    backfill_ = std::thread([this] { run_backfill(); });
  }
}

SqliteStore::~SqliteStore() {
  stopping_ = true;
  if (backfill_.joinable()) backfill_.join();
  sqlite3_close_v2(db_);
}

Result<void> SqliteStore::check_writable() {
  using namespace std::chrono;
  const int64_t now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  std::lock_guard lock(mutex_);
  auto stmt = Statement::prepare(db_,
                                 "INSERT INTO health (singleton, checked_ms) VALUES (1, ?1) "
                                 "ON CONFLICT (singleton) DO UPDATE SET checked_ms = excluded.checked_ms");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, now);
  return stmt->run();
}

// WAL with synchronous=NORMAL (set at open) writes each commit to the WAL file without an
// fsync: durable against a crash of the process; FULL adds an fsync of the WAL per commit.
Result<void> SqliteStore::set_sync_commits(bool on) {
  std::lock_guard lock(mutex_);
  return exec(db_, on ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
}

}  // namespace sqlite

}  // namespace routerly::store
