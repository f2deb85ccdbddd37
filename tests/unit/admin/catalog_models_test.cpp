// /api/models: aliases, catalogue presets, validation messages, masked keys, rename cascade,
// delete protection and permissions.
#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

class CatalogModels : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    admin_ = token_of(setup_admin());
  }
  // POST /api/models; returns the answer's body (asserting 201).
  json::object create(const json::object& body) {
    auto r = send("POST", "/api/models", body, admin_);
    EXPECT_EQ(r.status, 201u) << r.body;
    json::value v = body_of(r);
    return v.is_object() ? v.as_object() : json::object();
  }
  // Status and message of a create that must fail.
  std::pair<unsigned, std::string> reject(const json::object& body) {
    auto r = send("POST", "/api/models", body, admin_);
    return {r.status, message(r)};
  }
  const json::object* stored(std::string_view id) { return config_->current()->model(id); }

  std::string admin_;
};

TEST_F(CatalogModels, PresetFillsPricesContextAndEndpoint) {
  auto m = create({{"provider", "openai"}, {"upstreamModelId", "gpt-4o-mini"}});
  EXPECT_EQ(m.at("id").as_string(), "openai/gpt-4o-mini");  // derived from provider + upstream id
  EXPECT_EQ(m.at("name").as_string(), "openai/gpt-4o-mini");
  EXPECT_EQ(m.at("endpoint").as_string(), "https://api.openai.com/v1");
  const auto& cost = m.at("cost").as_object();
  EXPECT_DOUBLE_EQ(cost.at("inputPerMillion").to_number<double>(), 0.15);
  EXPECT_DOUBLE_EQ(cost.at("outputPerMillion").to_number<double>(), 0.6);
  EXPECT_DOUBLE_EQ(cost.at("cachePerMillion").to_number<double>(), 0.075);
  EXPECT_EQ(m.at("contextWindow").to_number<int64_t>(), 128000);
  EXPECT_EQ(m.at("enabled"), json::value(true));
  EXPECT_EQ(m.at("hasApiKey"), json::value(false));
  EXPECT_FALSE(m.at("createdAt").as_string().empty());
}

TEST_F(CatalogModels, PresetFromIdWithTiersAndCacheWrite) {
  auto m = create({{"id", "anthropic/claude-opus-4-6"}, {"provider", "anthropic"}});
  EXPECT_EQ(m.at("endpoint").as_string(), "https://api.anthropic.com");
  const auto& cost = m.at("cost").as_object();
  EXPECT_DOUBLE_EQ(cost.at("cacheWritePerMillion").to_number<double>(), 6.25);
  ASSERT_TRUE(cost.contains("pricingTiers"));
  const auto& tier = cost.at("pricingTiers").as_array().at(0).as_object();
  EXPECT_EQ(tier.at("metric").as_string(), "context_tokens");
  EXPECT_EQ(tier.at("above").to_number<int64_t>(), 200000);
  EXPECT_DOUBLE_EQ(tier.at("inputPerMillion").to_number<double>(), 10);
  EXPECT_EQ(m.at("contextWindow").to_number<int64_t>(), 1000000);
}

TEST_F(CatalogModels, GivenPricesWinOverPresetButContextWindowIsFilled) {
  auto m = create(
      {{"id", "openai/gpt-4o"}, {"provider", "openai"}, {"inputPerMillion", 1}, {"outputPerMillion", 2}});
  const auto& cost = m.at("cost").as_object();
  EXPECT_DOUBLE_EQ(cost.at("inputPerMillion").to_number<double>(), 1);
  EXPECT_DOUBLE_EQ(cost.at("outputPerMillion").to_number<double>(), 2);
  EXPECT_FALSE(cost.contains("cachePerMillion"));
  EXPECT_EQ(m.at("contextWindow").to_number<int64_t>(), 128000);
}

TEST_F(CatalogModels, FriendlyAliases) {
  auto m = create(
      {{"id", "local"},
       {"provider", "custom"},
       {"baseUrl", "http://localhost:8080/v1"},
       {"inputPrice", 1.5},
       {"outputPrice", 3},
       {"cachePrice", 0.5},
       {"cacheWritePerMillion", 2},
       {"capabilities", json::array{"vision", "functionCalling"}},
       {"enabled", false},
       {"contextWindow", 32000},
       {"timeout", 60000},
       {"limits", json::array{json::object{
                      {"metric", "cost"}, {"windowType", "period"}, {"period", "monthly"}, {"value", 50}}}}});
  EXPECT_EQ(m.at("endpoint").as_string(), "http://localhost:8080/v1");
  EXPECT_FALSE(m.contains("baseUrl"));
  const auto& cost = m.at("cost").as_object();
  EXPECT_DOUBLE_EQ(cost.at("inputPerMillion").to_number<double>(), 1.5);
  EXPECT_DOUBLE_EQ(cost.at("outputPerMillion").to_number<double>(), 3);
  EXPECT_DOUBLE_EQ(cost.at("cachePerMillion").to_number<double>(), 0.5);
  EXPECT_DOUBLE_EQ(cost.at("cacheWritePerMillion").to_number<double>(), 2);
  EXPECT_FALSE(m.contains("inputPrice"));
  EXPECT_EQ(m.at("capabilities"), (json::value(json::object{{"vision", true}, {"functionCalling", true}})));
  EXPECT_EQ(m.at("enabled"), json::value(false));
  EXPECT_EQ(m.at("timeout").to_number<int64_t>(), 60000);
  EXPECT_EQ(m.at("limits").as_array().size(), 1u);
}

TEST_F(CatalogModels, NestedCostObject) {
  json::object cost{
      {"inputPerMillion", 1},
      {"outputPerMillion", 2},
      {"pricingTiers",
       json::array{json::object{
           {"metric", "context_tokens"}, {"above", 1000}, {"inputPerMillion", 2}, {"outputPerMillion", 4}}}}};
  auto m = create({{"id", "x"}, {"provider", "openai"}, {"cost", cost}});
  EXPECT_DOUBLE_EQ(m.at("cost").at("inputPerMillion").to_number<double>(), 1);
  EXPECT_EQ(m.at("cost").at("pricingTiers").as_array().size(), 1u);
  EXPECT_EQ(m.at("cost").at("pricingTiers").at(0).at("above").to_number<int64_t>(), 1000);
}

TEST_F(CatalogModels, ValidationMessagesNameTheField) {
  auto expect_400 = [&](const json::object& body, std::string_view field) {
    auto [status, msg] = reject(body);
    EXPECT_EQ(status, 400u) << json::serialize(body);
    EXPECT_NE(msg.find("'" + std::string(field) + "'"), std::string::npos) << msg;
    return msg;
  };
  std::string msg = expect_400({{"id", "a"}, {"provider", "azure"}}, "provider");
  EXPECT_NE(msg.find("openai"), std::string::npos) << msg;  // lists the accepted providers
  expect_400({{"id", "a"}}, "provider");
  expect_400({{"provider", "openai"}}, "id");
  expect_400({{"id", "a"}, {"provider", "custom"}}, "endpoint");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"endpoint", "ftp://example.com"}}, "endpoint");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"baseUrl", "not a url"}}, "baseUrl");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"timeout", 500}}, "timeout");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"timeout", 3600001}}, "timeout");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"contextWindow", 0}}, "contextWindow");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"inputPrice", -1}}, "inputPrice");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"cost", json::object{{"outputPerMillion", "x"}}}},
             "cost.outputPerMillion");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"capabilities", json::array{"vision", "teleport"}}},
             "capabilities[1]");
  expect_400({{"id", "a"}, {"provider", "openai"}, {"enabled", "yes"}}, "enabled");
  expect_400({{"id", "a"},
              {"provider", "openai"},
              {"pricingTiers", json::array{json::object{{"metric", "output_tokens"}, {"above", 1}}}}},
             "pricingTiers[0].metric");
  expect_400({{"id", "a"},
              {"provider", "openai"},
              {"pricingTiers",
               json::array{json::object{{"above", -5}, {"inputPerMillion", 1}, {"outputPerMillion", 1}}}}},
             "pricingTiers[0].above");
  msg = expect_400(
      {{"id", "a"}, {"provider", "openai"}, {"limits", json::array{json::object{{"metric", "bogus"}}}}},
      "limits[0].metric");
  EXPECT_EQ(config_->current()->docs.models.size(), 0u);  // nothing was stored
}

TEST_F(CatalogModels, DuplicateIdConflicts) {
  create({{"id", "m1"}, {"provider", "openai"}});
  auto [status, msg] = reject({{"id", "m1"}, {"provider", "ollama"}});
  EXPECT_EQ(status, 409u);
  EXPECT_NE(msg.find("m1"), std::string::npos);
}

TEST_F(CatalogModels, KeyIsSealedMaskedAndRotated) {
  const std::string key = "sk-proj-secretvalue-abcd";
  create({{"id", "openai/gpt-4o"}, {"provider", "openai"}, {"apiKey", key}});

  // Stored sealed, never in clear.
  const json::object* doc = stored("openai/gpt-4o");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(json::serialize(*doc).find(key), std::string::npos);
  auto opened = key_box_.open(doc->at("apiKeyEnc").as_string());
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, key);

  // The API never returns it.
  auto one = call("GET", "/api/models/openai%2Fgpt-4o", {}, admin_);
  ASSERT_EQ(one.status, 200u) << one.body;
  EXPECT_EQ(one.body.find(key), std::string::npos);
  json::value view = body_of(one);
  EXPECT_EQ(view.at("hasApiKey"), json::value(true));
  EXPECT_FALSE(view.as_object().contains("apiKey"));
  EXPECT_FALSE(view.as_object().contains("apiKeyEnc"));
  EXPECT_FALSE(view.as_object().contains("apiKeyHint"));
  auto list = call("GET", "/api/models", {}, admin_);
  EXPECT_EQ(list.body.find(key), std::string::npos);
  EXPECT_EQ(list.body.find("apiKeyEnc"), std::string::npos);

  auto masked = call("GET", "/api/models/openai%2Fgpt-4o/apikey", {}, admin_);
  ASSERT_EQ(masked.status, 200u);
  EXPECT_EQ(body_of(masked).at("apiKey").as_string(), "sk-…abcd");

  // Rotation.
  auto rotated = send("POST", "/api/models/openai%2Fgpt-4o/apikey",
                      json::object{{"apiKey", "new-key-0123456789wxyz"}}, admin_);
  ASSERT_EQ(rotated.status, 200u) << rotated.body;
  EXPECT_EQ(body_of(rotated).at("apiKey").as_string(), "new…wxyz");
  opened = key_box_.open(stored("openai/gpt-4o")->at("apiKeyEnc").as_string());
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "new-key-0123456789wxyz");

  auto empty = send("POST", "/api/models/openai%2Fgpt-4o/apikey", json::object{{"apiKey", ""}}, admin_);
  EXPECT_EQ(empty.status, 400u);
  EXPECT_NE(message(empty).find("'apiKey'"), std::string::npos);
  EXPECT_EQ(send("POST", "/api/models/nope/apikey", json::object{{"apiKey", "abc"}}, admin_).status, 404u);

  // Short keys reveal less.
  send("POST", "/api/models/openai%2Fgpt-4o/apikey", json::object{{"apiKey", "short-key"}}, admin_);
  EXPECT_EQ(body_of(call("GET", "/api/models/openai%2Fgpt-4o/apikey", {}, admin_)).at("apiKey").as_string(),
            "…ey");
  send("POST", "/api/models/openai%2Fgpt-4o/apikey", json::object{{"apiKey", "abc"}}, admin_);
  EXPECT_EQ(body_of(call("GET", "/api/models/openai%2Fgpt-4o/apikey", {}, admin_)).at("apiKey").as_string(),
            "****");
}

TEST_F(CatalogModels, ModelWithoutKeyAnswersNull) {
  create({{"id", "ollama/llama3.2"}, {"provider", "ollama"}});
  auto r = call("GET", "/api/models/ollama%2Fllama3.2/apikey", {}, admin_);
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(body_of(r).at("apiKey").is_null());
}

TEST_F(CatalogModels, PartialUpdateChangesOnlyGivenFields) {
  create({{"id", "openai/gpt-4o"},
          {"provider", "openai"},
          {"apiKey", "sk-abcdefghijklmnop"},
          {"contextWindow", 1000}});
  auto r = send("PUT", "/api/models/openai%2Fgpt-4o", json::object{{"name", "GPT-4o"}, {"outputPrice", 12}},
                admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  json::value m = body_of(r);
  EXPECT_EQ(m.at("name").as_string(), "GPT-4o");
  EXPECT_DOUBLE_EQ(m.at("cost").at("inputPerMillion").to_number<double>(), 2.5);  // kept
  EXPECT_DOUBLE_EQ(m.at("cost").at("outputPerMillion").to_number<double>(), 12);
  EXPECT_EQ(m.at("contextWindow").to_number<int64_t>(), 1000);
  EXPECT_EQ(m.at("hasApiKey"), json::value(true));
  EXPECT_EQ(m.at("endpoint").as_string(), "https://api.openai.com/v1");

  auto bad = send("PUT", "/api/models/openai%2Fgpt-4o", json::object{{"timeout", 10}}, admin_);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(message(bad).find("'timeout'"), std::string::npos);
  EXPECT_EQ(send("PUT", "/api/models/missing", json::object{{"name", "x"}}, admin_).status, 404u);
}

TEST_F(CatalogModels, NullRemovesOptionalPricesOnly) {
  create({{"id", "openai/gpt-4o"}, {"provider", "openai"}});  // preset sets a cache price
  auto before = body_of(call("GET", "/api/models/openai%2Fgpt-4o", {}, admin_));
  ASSERT_TRUE(before.at("cost").as_object().contains("cachePerMillion"));

  auto r = send("PUT", "/api/models/openai%2Fgpt-4o",
                json::object{{"cost", json::object{{"cachePerMillion", nullptr}}}, {"cacheWritePerMillion", nullptr}},
                admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const json::value updated = body_of(r);
  const json::object& cost = updated.at("cost").as_object();
  EXPECT_FALSE(cost.contains("cachePerMillion"));
  EXPECT_FALSE(cost.contains("cacheWritePerMillion"));
  EXPECT_DOUBLE_EQ(cost.at("inputPerMillion").to_number<double>(), 2.5);  // untouched

  // Input and output prices are not optional: null leaves them as they are.
  auto kept = send("PUT", "/api/models/openai%2Fgpt-4o", json::object{{"inputPrice", nullptr}}, admin_);
  ASSERT_EQ(kept.status, 200u) << kept.body;
  EXPECT_DOUBLE_EQ(body_of(kept).at("cost").at("inputPerMillion").to_number<double>(), 2.5);
}

TEST_F(CatalogModels, RenameCascadesIntoProjectsAndTokens) {
  create({{"id", "old/id"}, {"provider", "openai"}});
  create({{"id", "taken"}, {"provider", "openai"}});
  auto p =
      send("POST", "/api/projects", json::object{{"name", "App"}, {"models", json::array{"old/id"}}}, admin_);
  ASSERT_EQ(p.status, 201u) << p.body;
  std::string project_id(body_of(p).at("id").as_string());
  auto t = send(
      "POST", "/api/projects/app/tokens",
      json::object{{"models", json::array{json::object{{"modelId", "old/id"}, {"limitsMode", "disable"}}}}},
      admin_);
  ASSERT_EQ(t.status, 201u) << t.body;
  std::string token_id(body_of(t).at("tokenInfo").at("id").as_string());

  auto clash = send("PUT", "/api/models/old%2Fid", json::object{{"id", "taken"}}, admin_);
  EXPECT_EQ(clash.status, 409u);

  auto r = send("PUT", "/api/models/old%2Fid", json::object{{"id", "new/id"}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(body_of(r).at("id").as_string(), "new/id");
  EXPECT_EQ(call("GET", "/api/models/old%2Fid", {}, admin_).status, 404u);
  EXPECT_EQ(call("GET", "/api/models/new%2Fid", {}, admin_).status, 200u);

  auto snap = config_->current();
  EXPECT_EQ(snap->project(project_id)->at("models").at(0).at("modelId").as_string(), "new/id");
  EXPECT_EQ(snap->token(token_id)->at("models").at(0).at("modelId").as_string(), "new/id");
  EXPECT_EQ(snap->token(token_id)->at("models").at(0).at("limitsMode").as_string(), "disable");

  // The rename and its cascade were persisted, not only published.
  config::ConfigService reloaded(*store_, [](json::object s) { return config::with_defaults(std::move(s)); });
  ASSERT_TRUE(reloaded.load());
  auto fresh = reloaded.current();
  EXPECT_EQ(fresh->model("old/id"), nullptr);
  ASSERT_NE(fresh->model("new/id"), nullptr);
  EXPECT_EQ(fresh->project(project_id)->at("models").at(0).at("modelId").as_string(), "new/id");
  EXPECT_EQ(fresh->token(token_id)->at("models").at(0).at("modelId").as_string(), "new/id");
}

TEST_F(CatalogModels, DeleteRefusedWhileProjectsUseIt) {
  create({{"id", "m"}, {"provider", "openai"}});
  auto p = send("POST", "/api/projects", json::object{{"name", "Billing Bot"}, {"models", json::array{"m"}}},
                admin_);
  ASSERT_EQ(p.status, 201u) << p.body;

  auto refused = call("DELETE", "/api/models/m", {}, admin_);
  EXPECT_EQ(refused.status, 409u);
  EXPECT_EQ(error_code(refused), "conflict");
  EXPECT_NE(message(refused).find("Billing Bot"), std::string::npos) << message(refused);

  ASSERT_EQ(send("PUT", "/api/projects/billing-bot", json::object{{"models", json::array()}}, admin_).status,
            200u);
  EXPECT_EQ(call("DELETE", "/api/models/m", {}, admin_).status, 204u);
  EXPECT_EQ(call("GET", "/api/models/m", {}, admin_).status, 404u);
  EXPECT_EQ(call("DELETE", "/api/models/m", {}, admin_).status, 404u);
}

TEST_F(CatalogModels, Permissions) {
  create({{"id", "m"}, {"provider", "openai"}, {"apiKey", "sk-abcdefghijklmnop"}});
  create_user(admin_, "viewer@example.com", "password-1", "viewer");
  std::string viewer = token_of(login("viewer@example.com", "password-1"));

  EXPECT_EQ(call("GET", "/api/models", {}, viewer).status, 200u);
  EXPECT_EQ(call("GET", "/api/models/m", {}, viewer).status, 200u);
  auto denied = send("POST", "/api/models", json::object{{"id", "n"}, {"provider", "openai"}}, viewer);
  EXPECT_EQ(denied.status, 403u);
  EXPECT_NE(message(denied).find("model:write"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/models/m/apikey", {}, viewer).status, 403u);
  EXPECT_EQ(call("DELETE", "/api/models/m", {}, viewer).status, 403u);
  EXPECT_EQ(call("GET", "/api/models", {}, {}).status, 401u);
}

}  // namespace
}  // namespace routerly::admin::testing
