#include "config/snapshot.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/settings.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace routerly;
using store::Collection;
namespace json = boost::json;

json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

store::ConfigDocuments sample_docs() {
  store::ConfigDocuments docs;
  docs.settings = obj(R"({"logLevel":"debug"})");
  docs.models = {obj(R"({"id":"openai/gpt-4o"})"), obj(R"({"id":"anthropic/claude"})")};
  docs.projects = {obj(R"({"id":"p-1","slug":"alpha"})"), obj(R"({"id":"p-2","slug":"beta"})")};
  docs.tokens = {obj(R"({"id":"t-1","projectId":"p-1","hash":"aaa"})"),
                 obj(R"({"id":"t-2","projectId":"p-2","hash":"bbb"})"),
                 obj(R"({"id":"t-3","projectId":"p-1","hash":"ccc"})")};
  docs.users = {obj(R"({"id":"u-1","email":"Admin@Example.com"})")};
  docs.roles = {obj(R"({"id":"auditor","name":"Auditor"})")};
  return docs;
}

std::string id_of(const json::object* doc) {
  return doc ? std::string(doc->at("id").as_string()) : "<null>";
}

TEST(Snapshot, Lookups) {
  config::Snapshot s;
  s.docs = sample_docs();
  s.index();
  EXPECT_EQ(id_of(s.model("anthropic/claude")), "anthropic/claude");
  EXPECT_EQ(s.model("nope"), nullptr);
  EXPECT_EQ(id_of(s.project("p-2")), "p-2");
  EXPECT_EQ(id_of(s.project("alpha")), "p-1");
  EXPECT_EQ(s.project("gamma"), nullptr);
  EXPECT_EQ(id_of(s.token("t-2")), "t-2");
  EXPECT_EQ(id_of(s.token_by_hash("ccc")), "t-3");
  EXPECT_EQ(s.token_by_hash("t-3"), nullptr);
  EXPECT_EQ(id_of(s.user("u-1")), "u-1");
  EXPECT_EQ(id_of(s.user_by_email("admin@example.COM")), "u-1");
  EXPECT_EQ(s.user_by_email("other@example.com"), nullptr);
  EXPECT_EQ(id_of(s.role("auditor")), "auditor");
  EXPECT_EQ(s.role("admin"), nullptr);  // built-ins are not documents

  auto tokens = s.project_tokens("p-1");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(id_of(tokens[0]), "t-1");
  EXPECT_EQ(id_of(tokens[1]), "t-3");
  EXPECT_TRUE(s.project_tokens("p-9").empty());
}

TEST(Snapshot, IdWinsOverAnotherProjectsSlug) {
  config::Snapshot s;
  s.docs.projects = {obj(R"({"id":"x","slug":"first"})"), obj(R"({"id":"y","slug":"x"})")};
  s.index();
  EXPECT_EQ(id_of(s.project("x")), "x");
}

TEST(Draft, UpsertKeepsPositionAndRecordsChanges) {
  config::Draft draft(sample_docs());
  draft.upsert(Collection::models, obj(R"({"id":"openai/gpt-4o","name":"GPT"})"));
  draft.upsert(Collection::models, obj(R"({"id":"new/model"})"));
  draft.remove(Collection::tokens, "t-2");
  draft.remove(Collection::tokens, "absent");
  draft.set_settings(obj(R"({"logLevel":"warn"})"));

  const auto& models = draft.docs().models;
  ASSERT_EQ(models.size(), 3u);
  EXPECT_EQ(models[0].at("name").as_string(), "GPT");
  EXPECT_EQ(models[2].at("id").as_string(), "new/model");
  EXPECT_EQ(draft.docs().tokens.size(), 2u);

  auto changes = draft.take_changes();
  ASSERT_EQ(changes.changes.size(), 3u);  // removing an absent id records nothing
  EXPECT_EQ(changes.changes[0].id, "openai/gpt-4o");
  EXPECT_TRUE(changes.changes[0].doc.has_value());
  EXPECT_EQ(changes.changes[2].collection, Collection::tokens);
  EXPECT_EQ(changes.changes[2].id, "t-2");
  EXPECT_FALSE(changes.changes[2].doc.has_value());
  ASSERT_TRUE(changes.settings.has_value());
  EXPECT_EQ(changes.settings->at("logLevel").as_string(), "warn");
}

// A store whose saves can be made to fail; records what it was asked to write.
class FakeStore : public store::Store {
 public:
  store::ConfigDocuments docs;
  std::vector<store::ConfigChanges> saved;
  bool fail_saves = false;

  Result<store::ConfigDocuments> load_config() override { return docs; }
  Result<void> save_config(const store::ConfigChanges& changes) override {
    if (fail_saves) return fail(ErrorCode::internal_error, "disk full");
    saved.push_back(changes);
    return {};
  }
  Result<void> create_session(const store::Session&, std::string_view) override { return {}; }
  Result<std::optional<store::Session>> get_session(std::string_view) override { return std::nullopt; }
  Result<std::optional<store::RefreshLookup>> find_refresh(std::string_view) override { return std::nullopt; }
  Result<bool> rotate_refresh(std::string_view, std::string_view, std::string_view, int64_t) override {
    return false;
  }
  Result<void> revoke_session(std::string_view) override { return {}; }
  Result<void> revoke_user_sessions(std::string_view, std::string_view) override { return {}; }
  Result<void> insert_usage(const std::vector<store::UsageRow>&) override { return {}; }
  Result<store::UsageQueryResult> query_usage(const store::UsageQuery&) override { return {}; }
  Result<std::optional<store::UsageRow>> get_usage(std::string_view) override { return std::nullopt; }
  Result<std::vector<store::UsageRow>> usage_by_trace(std::string_view) override { return {}; }
  Result<std::vector<store::UsageRow>> usage_since(int64_t) override { return {}; }
  Result<void> put_response(std::string_view, std::string_view, const boost::json::object&, int64_t) override {
    return {};
  }
  Result<std::optional<boost::json::object>> get_response(std::string_view, std::string_view, int64_t) override {
    return std::nullopt;
  }
  Result<void> check_writable() override { return {}; }
};

json::object decorate(json::object stored) {
  config::Overrides overrides;
  overrides.port = 9999;
  return config::apply_overrides(config::with_defaults(std::move(stored)), overrides);
}

TEST(ConfigService, LoadPublishesDecoratedSnapshot) {
  FakeStore fake;
  fake.docs = sample_docs();
  config::ConfigService service(fake, decorate);
  ASSERT_NE(service.current(), nullptr);  // an empty snapshot before load
  EXPECT_TRUE(service.current()->docs.models.empty());
  ASSERT_TRUE(service.load());
  auto snap = service.current();
  EXPECT_EQ(snap->docs.models.size(), 2u);
  EXPECT_EQ(snap->docs.settings, obj(R"({"logLevel":"debug"})"));  // stored form untouched
  EXPECT_EQ(snap->settings.at("logLevel").as_string(), "debug");
  EXPECT_EQ(snap->settings.at("port").as_int64(), 9999);          // override
  EXPECT_EQ(snap->settings.at("channel").as_string(), "latest");  // default
  EXPECT_EQ(id_of(snap->project("beta")), "p-2");                 // indexed
}

TEST(ConfigService, SuccessfulUpdateWritesChangesAndPublishes) {
  FakeStore fake;
  fake.docs = sample_docs();
  config::ConfigService service(fake, decorate);
  ASSERT_TRUE(service.load());
  auto before = service.current();

  auto result = service.update<std::string>([](config::Draft& d) -> Result<std::string> {
    d.upsert(Collection::projects, obj(R"({"id":"p-3","slug":"gamma"})"));
    return std::string("p-3");
  });
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, "p-3");
  ASSERT_EQ(fake.saved.size(), 1u);
  ASSERT_EQ(fake.saved[0].changes.size(), 1u);
  EXPECT_EQ(fake.saved[0].changes[0].id, "p-3");

  auto after = service.current();
  EXPECT_GT(after->version, before->version);
  EXPECT_EQ(id_of(after->project("gamma")), "p-3");
  EXPECT_EQ(before->project("gamma"), nullptr);  // old snapshot is immutable
  EXPECT_EQ(after->settings.at("port").as_int64(), 9999);
}

TEST(ConfigService, FailedEditPublishesAndWritesNothing) {
  FakeStore fake;
  fake.docs = sample_docs();
  config::ConfigService service(fake, decorate);
  ASSERT_TRUE(service.load());
  auto before = service.current();
  auto result = service.update<int>([](config::Draft& d) -> Result<int> {
    d.remove(Collection::models, "openai/gpt-4o");
    return fail(ErrorCode::conflict, "in use");
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::conflict);
  EXPECT_TRUE(fake.saved.empty());
  EXPECT_EQ(service.current(), before);
}

TEST(ConfigService, FailedStorePublishesNothing) {
  FakeStore fake;
  fake.docs = sample_docs();
  config::ConfigService service(fake, decorate);
  ASSERT_TRUE(service.load());
  auto before = service.current();
  fake.fail_saves = true;
  auto result = service.update<int>([](config::Draft& d) -> Result<int> {
    d.remove(Collection::models, "openai/gpt-4o");
    return 1;
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "disk full");
  EXPECT_EQ(service.current(), before);
  EXPECT_NE(service.current()->model("openai/gpt-4o"), nullptr);
}

TEST(ConfigService, NoOpEditDoesNotWrite) {
  FakeStore fake;
  config::ConfigService service(fake, decorate);
  ASSERT_TRUE(service.load());
  auto before = service.current();
  auto result = service.update<int>([](config::Draft&) -> Result<int> { return 7; });
  ASSERT_TRUE(result);
  EXPECT_TRUE(fake.saved.empty());
  EXPECT_EQ(service.current(), before);
}

TEST(ConfigService, RoundTripsThroughSqlite) {
  TempDir dir;
  auto db = store::open_sqlite(dir.path() / "routerly.db");
  ASSERT_TRUE(db) << db.error().message;
  {
    config::ConfigService service(**db, decorate);
    ASSERT_TRUE(service.load());
    auto ok = service.update<int>([](config::Draft& d) -> Result<int> {
      d.upsert(Collection::models, obj(R"({"id":"b"})"));
      d.upsert(Collection::models, obj(R"({"id":"a"})"));
      d.set_settings(obj(R"({"logLevel":"error"})"));
      return 0;
    });
    ASSERT_TRUE(ok) << ok.error().message;
    ASSERT_TRUE(service.update<int>([](config::Draft& d) -> Result<int> {
      d.upsert(Collection::models, obj(R"({"id":"b","v":2})"));
      return 0;
    }));
  }
  config::ConfigService reloaded(**db, decorate);
  ASSERT_TRUE(reloaded.load());
  auto snap = reloaded.current();
  ASSERT_EQ(snap->docs.models.size(), 2u);
  EXPECT_EQ(id_of(&snap->docs.models[0]), "b");  // creation order survives the update
  EXPECT_EQ(snap->docs.models[0].at("v").as_int64(), 2);
  EXPECT_EQ(snap->settings.at("logLevel").as_string(), "error");
}

}  // namespace
