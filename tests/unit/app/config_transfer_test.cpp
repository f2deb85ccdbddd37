#include "app/config_transfer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "common/crypto.hpp"

namespace routerly::app {
namespace {

namespace json = boost::json;

class ConfigTransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::initialize();
    dir_ = std::filesystem::temp_directory_path() / ("routerly-transfer-" + crypto::random_hex(6));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<store::Store> open(const std::string& name) {
    auto s = store::open_sqlite(dir_ / name);
    EXPECT_TRUE(s.has_value());
    return std::move(*s);
  }

  std::filesystem::path dir_;
};

store::ConfigDocuments sample() {
  store::ConfigDocuments docs;
  docs.settings = {{"logLevel", "debug"}};
  docs.models.push_back({{"id", "openai/gpt-4o"}, {"provider", "openai"}, {"apiKeyEnc", "v1:sealed"},
                         {"apiKeyHint", "sk-…abcd"}});
  docs.projects.push_back({{"id", "p1"}, {"name", "App"}, {"slug", "app"}});
  docs.tokens.push_back({{"id", "t1"}, {"projectId", "p1"}, {"hash", std::string(64, 'a')}});
  docs.users.push_back({{"id", "u1"}, {"email", "a@example.com"}, {"passwordHash", "$argon2id$secret"},
                        {"roleId", "admin"}});
  docs.roles.push_back({{"id", "auditor"}, {"name", "Auditor"}, {"permissions", json::array{"report:read"}}});
  return docs;
}

TEST_F(ConfigTransferTest, ExportOmitsSealedKeysAndPasswordHashes) {
  json::object out = export_config(sample());
  std::string text = json::serialize(out);
  EXPECT_EQ(out.at("format").as_string(), "routerly-config/1");
  EXPECT_EQ(text.find("v1:sealed"), std::string::npos);
  EXPECT_EQ(text.find("sk-…abcd"), std::string::npos);
  EXPECT_EQ(text.find("$argon2id$"), std::string::npos);
  EXPECT_EQ(out.at("models").as_array().size(), 1u);
  EXPECT_EQ(out.at("tokens").as_array()[0].at("hash").as_string(), std::string(64, 'a'));
  EXPECT_EQ(out.at("settings").at("logLevel").as_string(), "debug");
}

TEST_F(ConfigTransferTest, ImportRestoresDocumentsAndKeepsExistingKeys) {
  auto target = open("target.db");
  // The target already holds the model with a sealed key and the user with a password.
  store::ConfigChanges seed;
  seed.changes.push_back({store::Collection::models, "openai/gpt-4o",
                          json::object{{"id", "openai/gpt-4o"}, {"apiKeyEnc", "v1:kept"}, {"apiKeyHint", "h"}}});
  seed.changes.push_back({store::Collection::users, "u1",
                          json::object{{"id", "u1"}, {"email", "a@example.com"}, {"passwordHash", "$argon2id$kept"}}});
  ASSERT_TRUE(target->save_config(seed).has_value());

  auto message = import_config(*target, json::value(export_config(sample())));
  ASSERT_TRUE(message.has_value()) << message.error().message;

  auto docs = target->load_config();
  ASSERT_TRUE(docs.has_value());
  ASSERT_EQ(docs->models.size(), 1u);
  EXPECT_EQ(docs->models[0].at("apiKeyEnc").as_string(), "v1:kept");
  EXPECT_EQ(docs->models[0].at("provider").as_string(), "openai");
  ASSERT_EQ(docs->users.size(), 1u);
  EXPECT_EQ(docs->users[0].at("passwordHash").as_string(), "$argon2id$kept");
  EXPECT_EQ(docs->projects.size(), 1u);
  EXPECT_EQ(docs->tokens.size(), 1u);
  EXPECT_EQ(docs->roles.size(), 1u);
  EXPECT_EQ(docs->settings.at("logLevel").as_string(), "debug");
}

TEST_F(ConfigTransferTest, ImportedUserWithoutHashCannotLogIn) {
  auto target = open("fresh.db");
  ASSERT_TRUE(import_config(*target, json::value(export_config(sample()))).has_value());
  auto docs = target->load_config();
  ASSERT_TRUE(docs.has_value());
  const auto& hash = docs->users.at(0).at("passwordHash").as_string();
  EXPECT_FALSE(crypto::verify_password(std::string_view(hash), "anything"));
}

TEST_F(ConfigTransferTest, ImportRejectsForeignDocuments) {
  auto target = open("reject.db");
  EXPECT_FALSE(import_config(*target, json::parse(R"({"models":[]})")).has_value());
  auto bad_item = import_config(*target, json::parse(R"({"format":"routerly-config/1","models":[{"name":"x"}]})"));
  ASSERT_FALSE(bad_item.has_value());
  EXPECT_NE(bad_item.error().message.find("models[0]"), std::string::npos);
  EXPECT_FALSE(import_config(*target, json::parse("[]")).has_value());
}

}  // namespace
}  // namespace routerly::app
