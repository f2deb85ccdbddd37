// /api/projects: creation with first token, slugs, name conflicts, id-or-slug addressing,
// model pool and policy validation, partial update, deletion.
#include "auth/project_tokens.hpp"
#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

class CatalogProjects : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    session_ = setup_admin();
    admin_ = token_of(session_);
    for (auto id : {"m1", "m2"}) {
      auto r = send("POST", "/api/models", json::object{{"id", id}, {"provider", "openai"}}, admin_);
      ASSERT_EQ(r.status, 201u) << r.body;
    }
  }
  http::Response create(const json::object& body) { return send("POST", "/api/projects", body, admin_); }
  json::object created(const json::object& body) {
    auto r = create(body);
    EXPECT_EQ(r.status, 201u) << r.body;
    json::value v = body_of(r);
    return v.is_object() ? v.as_object() : json::object();
  }
  void expect_400(const json::object& body, std::string_view field, std::string_view method = "POST",
                  std::string target = "/api/projects") {
    auto r = send(std::string(method), target, body, admin_);
    EXPECT_EQ(r.status, 400u) << json::serialize(body) << " → " << r.body;
    EXPECT_NE(message(r).find("'" + std::string(field) + "'"), std::string::npos) << r.body;
  }

  json::object session_;
  std::string admin_;
};

TEST_F(CatalogProjects, CreateAnswersProjectAndTokenOnce) {
  auto p = created({{"name", "  My App  "}});
  EXPECT_EQ(p.at("name").as_string(), "My App");  // trimmed
  EXPECT_EQ(p.at("slug").as_string(), "my-app");
  EXPECT_EQ(p.at("timeoutMs").to_number<int64_t>(), 30000);
  EXPECT_EQ(p.at("models"), json::value(json::array()));
  EXPECT_EQ(p.at("policies"), json::value(json::array()));
  EXPECT_EQ(p.at("budgets"), json::value(json::array()));
  EXPECT_FALSE(p.at("createdAt").as_string().empty());

  // Creator is the admin member.
  const auto& members = p.at("members").as_array();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].at("userId"), session_.at("user").at("id"));
  EXPECT_EQ(members[0].at("role").as_string(), "admin");

  // The first token: full value at top level only, tokenInfo in tokens, no hash anywhere.
  std::string token(p.at("token").as_string());
  EXPECT_TRUE(auth::looks_like_project_token(token)) << token;
  EXPECT_EQ(token.size(), 6u + 64u);
  const auto& tokens = p.at("tokens").as_array();
  ASSERT_EQ(tokens.size(), 1u);
  const auto& info = tokens[0].as_object();
  EXPECT_EQ(info.at("tokenSnippet").as_string(), token.substr(0, 10));
  EXPECT_EQ(info.at("name").as_string(), "default");
  EXPECT_EQ(info.at("limitsMode").as_string(), "replace");
  EXPECT_FALSE(info.contains("hash"));
  EXPECT_FALSE(info.contains("token"));
  std::string hash = auth::hash_project_token(token);
  EXPECT_EQ(json::serialize(p).find(hash), std::string::npos);

  // Stored by hash only; later reads never show the value or the hash.
  auto snap = config_->current();
  const json::object* stored = snap->token_by_hash(hash);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->at("projectId"), p.at("id"));
  EXPECT_EQ(json::serialize(*stored).find(token), std::string::npos);
  auto again = call("GET", "/api/projects/my-app", {}, admin_);
  ASSERT_EQ(again.status, 200u);
  EXPECT_EQ(again.body.find(token), std::string::npos);
  EXPECT_EQ(again.body.find(hash), std::string::npos);
  EXPECT_FALSE(body_of(again).as_object().contains("token"));
  auto list = call("GET", "/api/projects", {}, admin_);
  EXPECT_EQ(list.body.find(token), std::string::npos);
  EXPECT_EQ(list.body.find(hash), std::string::npos);
}

TEST_F(CatalogProjects, SlugGenerationAndConflicts) {
  auto a = created({{"name", "My App"}});
  EXPECT_EQ(a.at("slug").as_string(), "my-app");
  auto b = created({{"name", "My -- App!"}});  // different name, same generated slug
  EXPECT_EQ(b.at("slug").as_string(), "my-app-2");
  auto c = created({{"name", "my.app"}});
  EXPECT_EQ(c.at("slug").as_string(), "my-app-3");
  auto d = created({{"name", "Ünïcode ✓"}});
  EXPECT_EQ(d.at("slug").as_string(), "n-code");

  // Names are unique case-insensitively.
  auto dup = create({{"name", "MY APP"}});
  EXPECT_EQ(dup.status, 409u);
  EXPECT_EQ(error_code(dup), "conflict");

  // Explicit slugs: validated, unique, and never another project's id.
  auto explicit_slug = created({{"name", "Other"}, {"slug", "custom-1"}});
  EXPECT_EQ(explicit_slug.at("slug").as_string(), "custom-1");
  EXPECT_EQ(create({{"name", "Other 2"}, {"slug", "my-app"}}).status, 409u);
  EXPECT_EQ(create({{"name", "Other 3"}, {"slug", std::string(a.at("id").as_string())}}).status, 409u);
  expect_400({{"name", "Other 4"}, {"slug", "Bad Slug"}}, "slug");
  expect_400({{"name", "Other 5"}, {"slug", std::string(65, 'a')}}, "slug");
  expect_400({{"name", "   "}}, "name");
  expect_400(json::object{}, "name");
}

TEST_F(CatalogProjects, AddressedByIdOrSlug) {
  auto p = created({{"name", "Shop"}});
  std::string id(p.at("id").as_string());
  auto by_slug = call("GET", "/api/projects/shop", {}, admin_);
  auto by_id = call("GET", "/api/projects/" + id, {}, admin_);
  ASSERT_EQ(by_slug.status, 200u);
  ASSERT_EQ(by_id.status, 200u);
  EXPECT_EQ(body_of(by_slug), body_of(by_id));
  EXPECT_EQ(body_of(by_id).at("id").as_string(), id);
  auto missing = call("GET", "/api/projects/nope", {}, admin_);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(error_code(missing), "not_found");
}

TEST_F(CatalogProjects, ModelPoolValidation) {
  auto p =
      created({{"name", "Pool"},
               {"models",
                json::array{"m1", json::object{{"modelId", "m2"},
                                               {"prompt", "Use for code"},
                                               {"limitsMode", "extend"},
                                               {"limits", json::array{json::object{{"metric", "calls"},
                                                                                   {"windowType", "rolling"},
                                                                                   {"rollingAmount", 1},
                                                                                   {"rollingUnit", "minute"},
                                                                                   {"value", 10}}}}}}}});
  const auto& models = p.at("models").as_array();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0], (json::value(json::object{{"modelId", "m1"}})));
  EXPECT_EQ(models[1].at("prompt").as_string(), "Use for code");
  EXPECT_EQ(models[1].at("limitsMode").as_string(), "extend");
  EXPECT_EQ(models[1].at("limits").at(0).at("value").to_number<int64_t>(), 10);

  expect_400({{"name", "X"}, {"models", json::array{"m1", "ghost"}}}, "models[1].modelId");
  expect_400({{"name", "X"}, {"models", json::array{json::object{{"modelId", "ghost"}}}}},
             "models[0].modelId");
  expect_400({{"name", "X"}, {"models", json::array{"m1", json::object{{"modelId", "m1"}}}}},
             "models[1].modelId");
  expect_400({{"name", "X"}, {"models", json::array{json::object{{"prompt", "p"}}}}}, "models[0].modelId");
  expect_400(
      {{"name", "X"}, {"models", json::array{json::object{{"modelId", "m1"}, {"limitsMode", "sometimes"}}}}},
      "models[0].limitsMode");
  expect_400({{"name", "X"}, {"models", "m1"}}, "models");
}

TEST_F(CatalogProjects, PoliciesValidation) {
  auto p =
      created({{"name", "Routing"},
               {"policies", json::array{json::object{{"type", "cheapest"}},
                                        json::object{{"type", "health"},
                                                     {"enabled", false},
                                                     {"config", json::object{{"windowMinutes", 10}}}}}}});
  const auto& policies = p.at("policies").as_array();
  ASSERT_EQ(policies.size(), 2u);
  EXPECT_EQ(policies[0], (json::value(json::object{{"type", "cheapest"}, {"enabled", true}})));
  EXPECT_EQ(policies[1].at("enabled"), json::value(false));
  EXPECT_EQ(policies[1].at("config").at("windowMinutes").to_number<int64_t>(), 10);

  expect_400(
      {{"name", "X"},
       {"policies", json::array{json::object{{"type", "cheapest"}}, json::object{{"type", "random"}}}}},
      "policies[1].type");
  expect_400({{"name", "X"},
              {"policies", json::array{json::object{{"type", "llm"}, {"config", json::object{{"routingModelId", "m"}}}},
                                       json::object{{"type", "llm"}, {"config", json::object{{"routingModelId", "m"}}}}}}},
             "policies[1].type");
  expect_400({{"name", "X"}, {"policies", json::array{json::object{{"type", "llm"}}}}},
             "policies[0].config.routingModelId");
  expect_400({{"name", "X"}, {"policies", json::array{json::object{{"enabled", true}}}}}, "policies[0].type");
  expect_400({{"name", "X"}, {"policies", json::array{json::object{{"type", "llm"}, {"config", 3}}}}},
             "policies[0].config");
}

TEST_F(CatalogProjects, TimeoutBudgetsAndLegacyFields) {
  auto p = created(
      {{"name", "T"},
       {"defaultTimeoutMs", 45000},
       {"routingModelId", "m1"},
       {"autoRouting", false},
       {"fallbackRoutingModelIds", json::array{"m2"}},
       {"budgets", json::array{json::object{{"metric", "cost"}, {"limit", 10}, {"window", "monthly"}}}}});
  EXPECT_EQ(p.at("timeoutMs").to_number<int64_t>(), 45000);
  EXPECT_FALSE(p.contains("defaultTimeoutMs"));
  EXPECT_EQ(p.at("routingModelId").as_string(), "m1");
  EXPECT_EQ(p.at("autoRouting"), json::value(false));
  EXPECT_EQ(p.at("fallbackRoutingModelIds"), (json::value(json::array{"m2"})));
  const auto& budget = p.at("budgets").at(0).as_object();
  EXPECT_EQ(budget.at("windowType").as_string(), "period");
  EXPECT_EQ(budget.at("period").as_string(), "monthly");
  EXPECT_EQ(budget.at("value").to_number<int64_t>(), 10);

  expect_400({{"name", "X"}, {"timeoutMs", 999}}, "timeoutMs");
  expect_400({{"name", "X"}, {"defaultTimeoutMs", 3600001}}, "defaultTimeoutMs");
  expect_400({{"name", "X"}, {"budgets", json::array{json::object{{"metric", "cost"}}}}}, "budgets[0].value");
}

TEST_F(CatalogProjects, PartialUpdate) {
  auto p = created({{"name", "Alpha"}, {"models", json::array{"m1"}}, {"timeoutMs", 5000}});
  created({{"name", "Beta"}});
  std::string id(p.at("id").as_string());

  auto r = send("PUT", "/api/projects/alpha",
                json::object{{"name", "Alpha Prime"}, {"models", json::array{"m2"}}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  json::value v = body_of(r);
  EXPECT_EQ(v.at("name").as_string(), "Alpha Prime");
  EXPECT_EQ(v.at("slug").as_string(), "alpha");  // slug does not follow the name
  EXPECT_EQ(v.at("models").at(0).at("modelId").as_string(), "m2");
  EXPECT_EQ(v.at("timeoutMs").to_number<int64_t>(), 5000);  // kept
  EXPECT_EQ(v.at("tokens").as_array().size(), 1u);
  EXPECT_EQ(v.at("members").as_array().size(), 1u);

  EXPECT_EQ(send("PUT", "/api/projects/" + id, json::object{{"name", "beta"}}, admin_).status, 409u);
  EXPECT_EQ(send("PUT", "/api/projects/" + id, json::object{{"slug", "beta"}}, admin_).status, 409u);
  // Keeping one's own name or slug is no conflict.
  EXPECT_EQ(
      send("PUT", "/api/projects/" + id, json::object{{"name", "ALPHA PRIME"}, {"slug", "alpha"}}, admin_)
          .status,
      200u);
  auto renamed = send("PUT", "/api/projects/" + id, json::object{{"slug", "alpha-2"}}, admin_);
  ASSERT_EQ(renamed.status, 200u);
  EXPECT_EQ(call("GET", "/api/projects/alpha-2", {}, admin_).status, 200u);
  EXPECT_EQ(call("GET", "/api/projects/alpha", {}, admin_).status, 404u);
  expect_400({{"models", json::array{"ghost"}}}, "models[0].modelId", "PUT", "/api/projects/" + id);
  EXPECT_EQ(send("PUT", "/api/projects/nope", json::object{{"name", "x"}}, admin_).status, 404u);
}

TEST_F(CatalogProjects, DeleteRemovesProjectAndItsTokens) {
  auto p = created({{"name", "Doomed"}});
  std::string token(p.at("token").as_string());
  auto extra = send("POST", "/api/projects/doomed/tokens", json::object{{"name", "ci"}}, admin_);
  ASSERT_EQ(extra.status, 201u);
  auto keep = created({{"name", "Kept"}});

  EXPECT_EQ(call("DELETE", "/api/projects/doomed", {}, admin_).status, 204u);
  EXPECT_EQ(call("GET", "/api/projects/doomed", {}, admin_).status, 404u);
  auto snap = config_->current();
  EXPECT_EQ(snap->token_by_hash(auth::hash_project_token(token)), nullptr);
  ASSERT_EQ(snap->docs.tokens.size(), 1u);  // only Kept's token is left
  EXPECT_EQ(snap->docs.tokens[0].at("projectId"), keep.at("id"));
  EXPECT_EQ(call("DELETE", "/api/projects/doomed", {}, admin_).status, 404u);

  config::ConfigService reloaded(*store_, [](json::object s) { return config::with_defaults(std::move(s)); });
  ASSERT_TRUE(reloaded.load());
  EXPECT_EQ(reloaded.current()->docs.projects.size(), 1u);
  EXPECT_EQ(reloaded.current()->docs.tokens.size(), 1u);
}

TEST_F(CatalogProjects, CreateNeedsProjectWrite) {
  create_user(admin_, "viewer@example.com", "password-1", "viewer");
  std::string viewer = token_of(login("viewer@example.com", "password-1"));
  auto r = send("POST", "/api/projects", json::object{{"name", "Nope"}}, viewer);
  EXPECT_EQ(r.status, 403u);
  EXPECT_NE(message(r).find("project:write"), std::string::npos);
  created({{"name", "Visible"}});
  // Global project:read sees every project.
  auto list = call("GET", "/api/projects", {}, viewer);
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(body_of(list).as_array().size(), 1u);
}

}  // namespace
}  // namespace routerly::admin::testing
