#include <gtest/gtest.h>

#include <cstdint>

#include "backends.hpp"
#include "store/store.hpp"

namespace {

using namespace routerly;

class ResponsesStore : public StoreContract {};

TEST_P(ResponsesStore, PutGetScopedToProjectUntilExpiry) {
  boost::json::object doc{{"id", "resp_1"}, {"output", boost::json::array{1, 2}}};
  ASSERT_TRUE(store_->put_response("resp_1", "p1", doc, 1000));

  auto got = store_->get_response("resp_1", "p1", 999);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ(**got, doc);
  EXPECT_FALSE(store_->get_response("resp_1", "p2", 999)->has_value());   // other project
  EXPECT_FALSE(store_->get_response("resp_1", "p1", 1000)->has_value());  // expired
  EXPECT_FALSE(store_->get_response("resp_x", "p1", 0)->has_value());

  doc["output"] = "replaced";
  ASSERT_TRUE(store_->put_response("resp_1", "p1", doc, 5000));
  EXPECT_EQ((*store_->get_response("resp_1", "p1", 2000))->at("output"), "replaced");
}

TEST_P(ResponsesStore, FindTellsTheOwningProjectAndDeleteLeavesOnlyATombstone) {
  boost::json::object doc{{"id", "resp_1"}};
  ASSERT_TRUE(store_->put_response("resp_1", "p1", doc, 1000));
  ASSERT_TRUE(store_->put_response("resp_old", "p1", boost::json::object{}, 10));

  auto found = store_->find_response("resp_1", 0);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->project_id, "p1");
  EXPECT_EQ((*found)->doc, doc);
  EXPECT_FALSE(store_->find_response("resp_old", 500)->has_value());  // expired
  EXPECT_FALSE(store_->find_response("resp_x", 0)->has_value());

  auto other = store_->delete_response("resp_1", "p2", 0);  // another project's id
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  EXPECT_TRUE(store_->get_response("resp_1", "p1", 0)->has_value());
  auto expired = store_->delete_response("resp_old", "p1", 500);
  ASSERT_TRUE(expired);
  EXPECT_FALSE(*expired);

  auto removed = store_->delete_response("resp_1", "p1", 0);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(store_->get_response("resp_1", "p1", 0)->has_value());
  found = store_->find_response("resp_1", 0);
  ASSERT_TRUE(found && *found);  // known, but deleted
  EXPECT_EQ((*found)->project_id, "p1");
  EXPECT_FALSE((*found)->doc.has_value());
  auto again = store_->delete_response("resp_1", "p1", 0);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_FALSE(store_->find_response("resp_1", 1000)->has_value());  // the tombstone expires too
}

TEST_P(ResponsesStore, ExpiredRowsArePurgedByWrites) {
  ASSERT_TRUE(store_->put_response("old", "p", boost::json::object{}, 1));  // long expired
  ASSERT_TRUE(store_->put_response("new", "p", boost::json::object{}, INT64_MAX));
  store_.reset();
  // A fresh store purges on its first write.
  auto reopened = db_->open();
  ASSERT_TRUE(reopened);
  ASSERT_TRUE((*reopened)->put_response("another", "p", boost::json::object{}, INT64_MAX));
  EXPECT_EQ(db_->query_int("SELECT COUNT(*) FROM responses WHERE id = 'old'"), 0);
  EXPECT_EQ(db_->query_int("SELECT COUNT(*) FROM responses"), 2);
}

INSTANTIATE_FOR_EACH_BACKEND(ResponsesStore);

}  // namespace
