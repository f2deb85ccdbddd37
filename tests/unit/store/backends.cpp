#include "backends.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "support/postgres_server.hpp"

BackendDatabase::BackendDatabase(Backend backend) : backend_(backend) {
  if (backend_ == Backend::postgres) url_ = PostgresServer::shared().create_database();
}

routerly::Result<std::unique_ptr<routerly::store::Store>> BackendDatabase::open() const {
  return routerly::store::open_store(url_, dir_.path() / "routerly.db");
}

int64_t BackendDatabase::query_int(const std::string& sql) const {
  if (backend_ == Backend::postgres) {
    const std::string value = PostgresServer::shared().query(url_.substr(url_.rfind('/') + 1), sql);
    return value.empty() ? -1 : std::stoll(value);
  }
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((dir_.path() / "routerly.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

void BackendDatabase::exec(const std::string& sql) const {
  if (backend_ == Backend::postgres) {
    PostgresServer::shared().query(url_.substr(url_.rfind('/') + 1), sql);
    return;
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "routerly.db").c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

void StoreContract::SetUp() {
  db_ = std::make_unique<BackendDatabase>(GetParam());
  auto opened = db_->open();
  ASSERT_TRUE(opened) << opened.error().message;
  store_ = std::move(*opened);
}
