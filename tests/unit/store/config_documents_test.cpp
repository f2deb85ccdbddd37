#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "backends.hpp"
#include "store/store.hpp"

namespace {

using namespace routerly;
using store::Collection;
namespace json = boost::json;

json::object doc(std::string_view id, int64_t n = 0) {
  return json::object{{"id", id}, {"n", n}};
}

std::vector<std::string> ids(const std::vector<json::object>& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) out.emplace_back(d.at("id").as_string());
  return out;
}

class ConfigDocumentsTest : public StoreContract {
 protected:
  void save(std::vector<store::Change> changes, std::optional<json::object> settings = std::nullopt) {
    auto ok = store_->save_config(store::ConfigChanges{std::move(changes), std::move(settings)});
    ASSERT_TRUE(ok) << ok.error().message;
  }

  store::ConfigDocuments load() {
    auto docs = store_->load_config();
    EXPECT_TRUE(docs) << docs.error().message;
    return docs ? *docs : store::ConfigDocuments{};
  }
};

TEST_P(ConfigDocumentsTest, EmptyStoreLoadsEmpty) {
  auto docs = load();
  EXPECT_TRUE(docs.settings.empty());
  EXPECT_TRUE(docs.models.empty());
  EXPECT_TRUE(docs.projects.empty());
  EXPECT_TRUE(docs.tokens.empty());
  EXPECT_TRUE(docs.users.empty());
  EXPECT_TRUE(docs.roles.empty());
}

TEST_P(ConfigDocumentsTest, LoadsEachCollectionInInsertionOrder) {
  save({{Collection::models, "zeta", doc("zeta")}, {Collection::models, "alpha", doc("alpha")}});
  save({{Collection::models, "mid", doc("mid")}, {Collection::projects, "p1", doc("p1")}});
  save({{Collection::users, "u1", doc("u1")},
        {Collection::tokens, "t1", doc("t1")},
        {Collection::roles, "r1", doc("r1")}});
  auto docs = load();
  EXPECT_EQ(ids(docs.models), (std::vector<std::string>{"zeta", "alpha", "mid"}));
  EXPECT_EQ(ids(docs.projects), (std::vector<std::string>{"p1"}));
  EXPECT_EQ(ids(docs.users), (std::vector<std::string>{"u1"}));
  EXPECT_EQ(ids(docs.tokens), (std::vector<std::string>{"t1"}));
  EXPECT_EQ(ids(docs.roles), (std::vector<std::string>{"r1"}));
}

TEST_P(ConfigDocumentsTest, UpsertOfExistingIdKeepsPositionAndReplacesDocument) {
  save({{Collection::models, "a", doc("a")},
        {Collection::models, "b", doc("b")},
        {Collection::models, "c", doc("c")}});
  save({{Collection::models, "a", doc("a", 42)}});
  auto docs = load();
  EXPECT_EQ(ids(docs.models), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(docs.models[0].at("n").as_int64(), 42);
}

TEST_P(ConfigDocumentsTest, DeleteRemovesAndReinsertGoesLast) {
  save({{Collection::models, "a", doc("a")}, {Collection::models, "b", doc("b")}});
  save({{Collection::models, "a", std::nullopt}});
  EXPECT_EQ(ids(load().models), (std::vector<std::string>{"b"}));
  save({{Collection::models, "a", doc("a")}});
  EXPECT_EQ(ids(load().models), (std::vector<std::string>{"b", "a"}));
}

TEST_P(ConfigDocumentsTest, SameIdInDifferentCollectionsIsIndependent) {
  save({{Collection::models, "x", doc("x", 1)}, {Collection::projects, "x", doc("x", 2)}});
  save({{Collection::projects, "x", std::nullopt}});
  auto docs = load();
  ASSERT_EQ(docs.models.size(), 1u);
  EXPECT_EQ(docs.models[0].at("n").as_int64(), 1);
  EXPECT_TRUE(docs.projects.empty());
}

TEST_P(ConfigDocumentsTest, SettingsAreReplacedWholeAndOnlyWhenGiven) {
  save({}, json::object{{"logLevel", "debug"}, {"port", 4000}});
  EXPECT_EQ(load().settings, (json::object{{"logLevel", "debug"}, {"port", 4000}}));
  save({{Collection::models, "a", doc("a")}});  // no settings → untouched
  EXPECT_EQ(load().settings, (json::object{{"logLevel", "debug"}, {"port", 4000}}));
  save({}, json::object{{"logLevel", "warn"}});
  EXPECT_EQ(load().settings, (json::object{{"logLevel", "warn"}}));
}

TEST_P(ConfigDocumentsTest, DocumentsRoundTripExactly) {
  json::object model =
      json::parse(R"({"id":"m","cost":{"inputPerMillion":2.5,"tiers":[1,2]},"name":"é \"q\""})").as_object();
  save({{Collection::models, "m", model}});
  auto docs = load();
  ASSERT_EQ(docs.models.size(), 1u);
  EXPECT_EQ(docs.models[0], model);
}

TEST_P(ConfigDocumentsTest, FailingChangeRollsBackTheWholeSave) {
  save({{Collection::models, "keep", doc("keep", 1)}}, json::object{{"logLevel", "info"}});
  store::ConfigChanges changes;
  changes.changes.push_back({Collection::models, "keep", doc("keep", 2)});
  changes.changes.push_back({Collection::models, "new", doc("new")});
  changes.changes.push_back({Collection::projects, "p", doc("other-id")});  // id mismatch → fails
  changes.settings = json::object{{"logLevel", "error"}};
  auto result = store_->save_config(changes);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::internal_error);

  auto docs = load();
  EXPECT_EQ(ids(docs.models), (std::vector<std::string>{"keep"}));
  EXPECT_EQ(docs.models[0].at("n").as_int64(), 1);
  EXPECT_TRUE(docs.projects.empty());
  EXPECT_EQ(docs.settings, (json::object{{"logLevel", "info"}}));
  // The store stays usable after the rollback.
  save({{Collection::models, "new", doc("new")}});
  EXPECT_EQ(ids(load().models), (std::vector<std::string>{"keep", "new"}));
}

TEST_P(ConfigDocumentsTest, EmptyIdIsRejected) {
  auto result =
      store_->save_config(store::ConfigChanges{{{Collection::users, "", json::object{}}}, std::nullopt});
  EXPECT_FALSE(result);
  EXPECT_TRUE(load().users.empty());
}

TEST_P(ConfigDocumentsTest, DocumentWithoutIdMemberIsStoredUnderItsKey) {
  save({{Collection::roles, "r", json::object{{"name", "R"}}}});
  auto docs = load();
  ASSERT_EQ(docs.roles.size(), 1u);
  EXPECT_EQ(docs.roles[0].at("name").as_string(), "R");
}

INSTANTIATE_FOR_EACH_BACKEND(ConfigDocumentsTest);

}  // namespace
