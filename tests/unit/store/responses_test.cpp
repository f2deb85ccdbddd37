#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>

#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace routerly;

TEST(ResponsesStore, PutGetScopedToProjectUntilExpiry) {
  TempDir dir;
  auto store = store::open_sqlite(dir.path() / "routerly.db");
  ASSERT_TRUE(store);
  boost::json::object doc{{"id", "resp_1"}, {"output", boost::json::array{1, 2}}};
  ASSERT_TRUE((*store)->put_response("resp_1", "p1", doc, 1000));

  auto got = (*store)->get_response("resp_1", "p1", 999);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ(**got, doc);
  EXPECT_FALSE((*store)->get_response("resp_1", "p2", 999)->has_value());   // other project
  EXPECT_FALSE((*store)->get_response("resp_1", "p1", 1000)->has_value());  // expired
  EXPECT_FALSE((*store)->get_response("resp_x", "p1", 0)->has_value());

  doc["output"] = "replaced";
  ASSERT_TRUE((*store)->put_response("resp_1", "p1", doc, 5000));
  EXPECT_EQ((*(*store)->get_response("resp_1", "p1", 2000))->at("output"), "replaced");
}

TEST(ResponsesStore, FindTellsTheOwningProjectAndDeleteLeavesOnlyATombstone) {
  TempDir dir;
  auto store = store::open_sqlite(dir.path() / "routerly.db");
  ASSERT_TRUE(store);
  boost::json::object doc{{"id", "resp_1"}};
  ASSERT_TRUE((*store)->put_response("resp_1", "p1", doc, 1000));
  ASSERT_TRUE((*store)->put_response("resp_old", "p1", boost::json::object{}, 10));

  auto found = (*store)->find_response("resp_1", 0);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->project_id, "p1");
  EXPECT_EQ((*found)->doc, doc);
  EXPECT_FALSE((*store)->find_response("resp_old", 500)->has_value());  // expired
  EXPECT_FALSE((*store)->find_response("resp_x", 0)->has_value());

  auto other = (*store)->delete_response("resp_1", "p2", 0);  // another project's id
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  EXPECT_TRUE((*store)->get_response("resp_1", "p1", 0)->has_value());
  auto expired = (*store)->delete_response("resp_old", "p1", 500);
  ASSERT_TRUE(expired);
  EXPECT_FALSE(*expired);

  auto removed = (*store)->delete_response("resp_1", "p1", 0);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  EXPECT_FALSE((*store)->get_response("resp_1", "p1", 0)->has_value());
  found = (*store)->find_response("resp_1", 0);
  ASSERT_TRUE(found && *found);  // known, but deleted
  EXPECT_EQ((*found)->project_id, "p1");
  EXPECT_FALSE((*found)->doc.has_value());
  auto again = (*store)->delete_response("resp_1", "p1", 0);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_FALSE((*store)->find_response("resp_1", 1000)->has_value());  // the tombstone expires too
}

TEST(ResponsesStore, ExpiredRowsArePurgedByWrites) {
  TempDir dir;
  auto db_path = dir.path() / "routerly.db";
  auto store = store::open_sqlite(db_path);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->put_response("old", "p", boost::json::object{}, 1));  // long expired
  ASSERT_TRUE((*store)->put_response("new", "p", boost::json::object{}, INT64_MAX));
  store->reset();
  // A fresh store purges on its first write.
  auto reopened = store::open_sqlite(db_path);
  ASSERT_TRUE(reopened);
  ASSERT_TRUE((*reopened)->put_response("another", "p", boost::json::object{}, INT64_MAX));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM responses WHERE id = 'old'", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
