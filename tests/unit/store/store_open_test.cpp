// Opening a store, in both backends, and how open_store picks the backend.
#include <gtest/gtest.h>

#include "backends.hpp"
#include "store/store.hpp"

namespace {

using namespace routerly;

class StoreOpen : public StoreContract {};

TEST_P(StoreOpen, CheckWritableSucceedsOnHealthyStore) {
  EXPECT_TRUE(store_->check_writable());
  EXPECT_TRUE(store_->check_writable());
  EXPECT_GT(db_->query_int("SELECT checked_ms FROM health"), 0);
}

TEST_P(StoreOpen, DataSurvivesAReopen) {
  store::ConfigChanges changes;
  changes.changes.push_back({store::Collection::models, "m1", boost::json::object{{"id", "m1"}}});
  ASSERT_TRUE(store_->save_config(changes));
  store_.reset();
  auto reopened = db_->open();
  ASSERT_TRUE(reopened) << reopened.error().message;
  auto docs = (*reopened)->load_config();
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->models.size(), 1u);
  EXPECT_TRUE((*reopened)->usage_rollups_ready());
}

INSTANTIATE_FOR_EACH_BACKEND(StoreOpen);

TEST(OpenStore, AnEmptyUrlOpensSqliteAndAnotherSchemeIsRefused) {
  TempDir dir;
  auto sqlite = store::open_store("", dir.path() / "routerly.db");
  ASSERT_TRUE(sqlite) << sqlite.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "routerly.db"));
  auto other = store::open_store("mysql://user:hunter2@localhost/db", dir.path() / "other.db");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("postgres://"), std::string::npos);
  EXPECT_EQ(other.error().message.find("hunter2"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "other.db"));
}

}  // namespace
