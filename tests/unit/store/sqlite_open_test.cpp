#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "store/sqlite/migrations.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace routerly;

// Reads one integer through a separate connection (so we see what is on disk).
int64_t query_int(const std::filesystem::path& db_path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

TEST(SqliteOpen, CreatesDatabaseWithOwnerOnlyMode) {
  TempDir dir;
  auto db_path = dir.path() / "routerly.db";
  auto store = store::open_sqlite(db_path);
  ASSERT_TRUE(store) << store.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(db_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST(SqliteOpen, UsesWalJournal) {
  TempDir dir;
  auto db_path = dir.path() / "routerly.db";
  auto store = store::open_sqlite(db_path);
  ASSERT_TRUE(store) << store.error().message;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(SqliteOpen, MigrationsAreAppliedOnceAcrossReopen) {
  TempDir dir;
  auto db_path = dir.path() / "routerly.db";
  const auto known = static_cast<int64_t>(store::sqlite::migrations().size());
  {
    auto store = store::open_sqlite(db_path);
    ASSERT_TRUE(store) << store.error().message;
    store::ConfigChanges changes;
    changes.changes.push_back({store::Collection::models, "m1", boost::json::object{{"id", "m1"}}});
    ASSERT_TRUE((*store)->save_config(changes));
  }
  EXPECT_EQ(query_int(db_path, "SELECT COUNT(*) FROM schema_migrations"), known);
  {
    auto store = store::open_sqlite(db_path);
    ASSERT_TRUE(store) << store.error().message;
    auto docs = (*store)->load_config();
    ASSERT_TRUE(docs);
    ASSERT_EQ(docs->models.size(), 1u);  // data survives the reopen
  }
  EXPECT_EQ(query_int(db_path, "SELECT COUNT(*) FROM schema_migrations"), known);
  EXPECT_EQ(query_int(db_path, "SELECT MAX(version) FROM schema_migrations"),
            store::sqlite::migrations().back().version);
  EXPECT_GT(query_int(db_path, "SELECT MIN(applied_at) FROM schema_migrations"), 0);
}

TEST(SqliteOpen, MigrationVersionsAscendFromOne) {
  int previous = 0;
  for (const auto& migration : store::sqlite::migrations()) {
    EXPECT_GT(migration.version, previous);
    previous = migration.version;
  }
  EXPECT_EQ(store::sqlite::migrations().front().version, 1);
}

TEST(SqliteOpen, AMissingVersionIsAppliedEvenBelowTheNewestRecorded) {
  // Migrations written on parallel branches may be recorded out of order: each version is
  // applied when it is absent, not only when it is above the highest one recorded.
  TempDir dir;
  auto db_path = dir.path() / "routerly.db";
  ASSERT_TRUE(store::open_sqlite(db_path));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE responses; DELETE FROM schema_migrations WHERE version = 2;"
                         " DROP TABLE usage;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto reopened = store::open_sqlite(db_path);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(query_int(db_path, "SELECT COUNT(*) FROM schema_migrations WHERE version = 2"), 1);
  EXPECT_EQ(query_int(db_path, "SELECT COUNT(*) FROM usage"), 0);
}

TEST(SqliteOpen, RefusesDatabaseFromNewerBinary) {
  TempDir dir;
  auto db_path = dir.path() / "routerly.db";
  ASSERT_TRUE(store::open_sqlite(db_path));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 1)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto reopened = store::open_sqlite(db_path);
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, ErrorCode::internal_error);
  EXPECT_NE(reopened.error().message.find("999"), std::string::npos);
}

TEST(SqliteOpen, UnwritableLocationIsAnError) {
  auto store = store::open_sqlite("/nonexistent-dir-for-routerly-tests/routerly.db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::internal_error);
}

TEST(SqliteOpen, CollectionNames) {
  EXPECT_EQ(store::collection_name(store::Collection::models), "models");
  EXPECT_EQ(store::collection_name(store::Collection::projects), "projects");
  EXPECT_EQ(store::collection_name(store::Collection::tokens), "tokens");
  EXPECT_EQ(store::collection_name(store::Collection::users), "users");
  EXPECT_EQ(store::collection_name(store::Collection::roles), "roles");
}

}  // namespace
