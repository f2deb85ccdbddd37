// /api/projects/{p}/tokens and /members, and project access through membership (SPEC §00 P20).
#include <regex>

#include "auth/project_tokens.hpp"
#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

class CatalogTokensMembers : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    admin_ = token_of(setup_admin());
    for (auto id : {"m1", "m2"}) {
      auto r = send("POST", "/api/models", json::object{{"id", id}, {"provider", "openai"}}, admin_);
      ASSERT_EQ(r.status, 201u) << r.body;
    }
    auto p =
        send("POST", "/api/projects", json::object{{"name", "App"}, {"models", json::array{"m1"}}}, admin_);
    ASSERT_EQ(p.status, 201u) << p.body;
    project_id_ = std::string(body_of(p).at("id").as_string());
    auto other = send("POST", "/api/projects", json::object{{"name", "Other"}}, admin_);
    ASSERT_EQ(other.status, 201u) << other.body;
    other_token_id_ = std::string(body_of(other).at("tokens").at(0).at("id").as_string());
  }

  // A user whose global role grants no project permission: reaches projects only as a member.
  std::pair<std::string, std::string> guest(const std::string& email) {
    if (config_->current()->role("guest") == nullptr) {
      auto role =
          send("POST", "/api/roles",
               json::object{{"id", "guest"}, {"name", "Guest"}, {"permissions", json::array{"model:read"}}},
               admin_);
      EXPECT_EQ(role.status, 201u) << role.body;
    }
    auto user = create_user(admin_, email, "password-1", "guest");
    return {std::string(user.at("id").as_string()), token_of(login(email, "password-1"))};
  }

  std::string admin_;
  std::string project_id_;
  std::string other_token_id_;
};

TEST_F(CatalogTokensMembers, CreateTokenShowsValueOnce) {
  auto r =
      send("POST", "/api/projects/app/tokens",
           json::object{
               {"name", "ci"},
               {"labels", json::array{"prod", "eu"}},
               {"models", json::array{json::object{{"modelId", "m1"}, {"limitsMode", "extend"}}}},
               {"limits", json::array{json::object{{"metric", "cost"}, {"limit", 5}, {"window", "daily"}}}},
               {"limitsMode", "extend"}},
           admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  json::value v = body_of(r);
  std::string token(v.at("token").as_string());
  EXPECT_TRUE(std::regex_match(token, std::regex("sk-rt-[0-9a-f]{64}"))) << token;
  const auto& info = v.at("tokenInfo").as_object();
  EXPECT_EQ(info.at("name").as_string(), "ci");
  EXPECT_EQ(info.at("tokenSnippet").as_string(), token.substr(0, 10));
  EXPECT_EQ(info.at("labels"), (json::value(json::array{"prod", "eu"})));
  EXPECT_EQ(info.at("models").at(0).at("modelId").as_string(), "m1");
  EXPECT_EQ(info.at("limitsMode").as_string(), "extend");
  EXPECT_EQ(info.at("limits").at(0).at("period").as_string(), "daily");  // P9 form normalised
  EXPECT_EQ(info.at("limits").at(0).at("value").to_number<int64_t>(), 5);
  EXPECT_FALSE(info.contains("hash"));
  EXPECT_FALSE(info.contains("projectId"));

  // Stored as SHA-256 only.
  std::string hash = auth::hash_project_token(token);
  const json::object* stored = config_->current()->token_by_hash(hash);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->at("id"), info.at("id"));
  EXPECT_EQ(json::serialize(*stored).find(token), std::string::npos);

  auto list = call("GET", "/api/projects/app/tokens", {}, admin_);
  ASSERT_EQ(list.status, 200u);
  json::value tokens = body_of(list);
  ASSERT_EQ(tokens.as_array().size(), 2u);  // the default one plus "ci"
  EXPECT_EQ(list.body.find(token), std::string::npos);
  EXPECT_EQ(list.body.find(hash), std::string::npos);
  EXPECT_EQ(list.body.find("\"hash\""), std::string::npos);

  // Defaults for an empty body.
  auto bare = call("POST", "/api/projects/app/tokens", {}, admin_);
  ASSERT_EQ(bare.status, 201u) << bare.body;
  json::value b = body_of(bare);
  EXPECT_EQ(b.at("tokenInfo").at("limitsMode").as_string(), "replace");
  EXPECT_EQ(b.at("tokenInfo").at("labels"), json::value(json::array()));
  EXPECT_NE(b.at("token"), v.at("token"));
}

TEST_F(CatalogTokensMembers, TokenValidation) {
  auto outside = send("POST", "/api/projects/app/tokens",
                      json::object{{"models", json::array{json::object{{"modelId", "m2"}}}}}, admin_);
  EXPECT_EQ(outside.status, 400u);  // m2 exists but is not in the project's pool
  EXPECT_NE(message(outside).find("'models[0].modelId'"), std::string::npos) << outside.body;
  auto labels =
      send("POST", "/api/projects/app/tokens", json::object{{"labels", json::array{"ok", 3}}}, admin_);
  EXPECT_EQ(labels.status, 400u);
  EXPECT_NE(message(labels).find("'labels[1]'"), std::string::npos) << labels.body;
  auto mode = send("POST", "/api/projects/app/tokens", json::object{{"limitsMode", "loose"}}, admin_);
  EXPECT_EQ(mode.status, 400u);
  EXPECT_NE(message(mode).find("'limitsMode'"), std::string::npos) << mode.body;
  EXPECT_EQ(send("POST", "/api/projects/nope/tokens", json::object{}, admin_).status, 404u);
}

TEST_F(CatalogTokensMembers, UpdateAndDeleteToken) {
  auto r = send("POST", "/api/projects/app/tokens",
                json::object{{"name", "ci"}, {"labels", json::array{"a"}}}, admin_);
  ASSERT_EQ(r.status, 201u);
  std::string id(body_of(r).at("tokenInfo").at("id").as_string());
  std::string base = "/api/projects/" + project_id_ + "/tokens/";

  auto u = send("PUT", base + id, json::object{{"labels", json::array{"b"}}, {"models", json::array{"m1"}}},
                admin_);
  ASSERT_EQ(u.status, 200u) << u.body;
  json::value info = body_of(u);
  EXPECT_EQ(info.at("name").as_string(), "ci");  // untouched
  EXPECT_EQ(info.at("labels"), (json::value(json::array{"b"})));
  EXPECT_EQ(info.at("models").at(0).at("modelId").as_string(), "m1");
  EXPECT_FALSE(info.as_object().contains("token"));
  EXPECT_FALSE(info.as_object().contains("hash"));

  // A token of another project is not found here.
  EXPECT_EQ(send("PUT", base + other_token_id_, json::object{{"name", "x"}}, admin_).status, 404u);
  EXPECT_EQ(call("DELETE", base + other_token_id_, {}, admin_).status, 404u);
  EXPECT_EQ(call("DELETE", base + "missing", {}, admin_).status, 404u);

  EXPECT_EQ(call("DELETE", base + id, {}, admin_).status, 204u);
  EXPECT_EQ(config_->current()->token(id), nullptr);
  EXPECT_EQ(body_of(call("GET", "/api/projects/app/tokens", {}, admin_)).as_array().size(), 1u);
}

TEST_F(CatalogTokensMembers, MemberCrud) {
  auto [user_id, unused] = guest("dev@example.com");
  std::string base = "/api/projects/app/members";

  auto added = send("POST", base, json::object{{"email", "DEV@example.com"}, {"role", "editor"}}, admin_);
  ASSERT_EQ(added.status, 201u) << added.body;
  EXPECT_EQ(
      body_of(added),
      (json::value(json::object{{"userId", user_id}, {"email", "dev@example.com"}, {"role", "editor"}})));

  auto dup = send("POST", base, json::object{{"userId", user_id}, {"role", "viewer"}}, admin_);
  EXPECT_EQ(dup.status, 409u);
  EXPECT_EQ(send("POST", base, json::object{{"userId", "ghost"}, {"role", "viewer"}}, admin_).status, 404u);
  EXPECT_EQ(send("POST", base, json::object{{"email", "ghost@example.com"}}, admin_).status, 404u);
  auto bad_role = send("POST", base, json::object{{"userId", user_id}, {"role", "owner"}}, admin_);
  EXPECT_EQ(bad_role.status, 400u);
  EXPECT_NE(message(bad_role).find("'role'"), std::string::npos);
  EXPECT_EQ(send("POST", base, json::object{{"role", "viewer"}}, admin_).status, 400u);

  auto list = call("GET", base, {}, admin_);
  ASSERT_EQ(list.status, 200u);
  json::value members = body_of(list);
  ASSERT_EQ(members.as_array().size(), 2u);  // creator + dev
  EXPECT_EQ(members.at(0).at("role").as_string(), "admin");
  EXPECT_EQ(members.at(0).at("email").as_string(), kAdminEmail);

  auto changed = send("PUT", base + "/" + user_id, json::object{{"role", "viewer"}}, admin_);
  ASSERT_EQ(changed.status, 200u) << changed.body;
  EXPECT_EQ(body_of(changed).at("role").as_string(), "viewer");
  EXPECT_EQ(send("PUT", base + "/" + user_id, json::object{}, admin_).status, 400u);
  EXPECT_EQ(send("PUT", base + "/ghost", json::object{{"role", "viewer"}}, admin_).status, 404u);

  // The user view reports the membership.
  json::value user = body_of(call("GET", "/api/users/" + user_id, {}, admin_));
  EXPECT_EQ(user.at("projectIds"), (json::value(json::array{json::value(project_id_)})));

  EXPECT_EQ(call("DELETE", base + "/" + user_id, {}, admin_).status, 204u);
  EXPECT_EQ(call("DELETE", base + "/" + user_id, {}, admin_).status, 404u);
  EXPECT_EQ(body_of(call("GET", base, {}, admin_)).as_array().size(), 1u);
}

TEST_F(CatalogTokensMembers, MembershipGovernsAccess) {
  auto [user_id, guest_token] = guest("dev@example.com");

  // Not a member: the project is invisible.
  EXPECT_EQ(call("GET", "/api/projects/app", {}, guest_token).status, 404u);
  EXPECT_EQ(call("GET", "/api/projects/app/tokens", {}, guest_token).status, 404u);
  EXPECT_EQ(send("PUT", "/api/projects/app", json::object{{"name", "Hacked"}}, guest_token).status, 404u);
  EXPECT_EQ(body_of(call("GET", "/api/projects", {}, guest_token)).as_array().size(), 0u);

  // Viewer member: reads, cannot write.
  ASSERT_EQ(
      send("POST", "/api/projects/app/members", json::object{{"userId", user_id}, {"role", "viewer"}}, admin_)
          .status,
      201u);
  EXPECT_EQ(call("GET", "/api/projects/app", {}, guest_token).status, 200u);
  EXPECT_EQ(call("GET", "/api/projects/app/tokens", {}, guest_token).status, 200u);
  EXPECT_EQ(call("GET", "/api/projects/app/members", {}, guest_token).status, 200u);
  json::value visible = body_of(call("GET", "/api/projects", {}, guest_token));
  ASSERT_EQ(visible.as_array().size(), 1u);
  EXPECT_EQ(visible.at(0).at("id").as_string(), project_id_);
  auto denied = send("PUT", "/api/projects/app", json::object{{"name", "Hacked"}}, guest_token);
  EXPECT_EQ(denied.status, 403u);
  EXPECT_EQ(error_code(denied), "forbidden");
  EXPECT_EQ(send("POST", "/api/projects/app/tokens", json::object{}, guest_token).status, 403u);
  EXPECT_EQ(call("DELETE", "/api/projects/app", {}, guest_token).status, 403u);
  EXPECT_EQ(config_->current()->project("app")->at("name").as_string(), "App");

  // Editor member: writes the project and tokens, but not members, and cannot delete it.
  ASSERT_EQ(
      send("PUT", "/api/projects/app/members/" + user_id, json::object{{"role", "editor"}}, admin_).status,
      200u);
  EXPECT_EQ(send("PUT", "/api/projects/app", json::object{{"timeoutMs", 20000}}, guest_token).status, 200u);
  EXPECT_EQ(send("POST", "/api/projects/app/tokens", json::object{}, guest_token).status, 201u);
  EXPECT_EQ(send("POST", "/api/projects/app/members", json::object{{"userId", user_id}, {"role", "admin"}},
                 guest_token)
                .status,
            403u);
  EXPECT_EQ(call("DELETE", "/api/projects/app", {}, guest_token).status, 403u);
  // A global project:write is still required to create projects.
  EXPECT_EQ(send("POST", "/api/projects", json::object{{"name", "Mine"}}, guest_token).status, 403u);

  // Admin member: manages members and may delete the project.
  ASSERT_EQ(
      send("PUT", "/api/projects/app/members/" + user_id, json::object{{"role", "admin"}}, admin_).status,
      200u);
  auto [other_id, other_token] = guest("other@example.com");
  EXPECT_EQ(send("POST", "/api/projects/app/members", json::object{{"userId", other_id}, {"role", "viewer"}},
                 guest_token)
                .status,
            201u);
  EXPECT_EQ(call("GET", "/api/projects/app", {}, other_token).status, 200u);
  // Membership in one project says nothing about another.
  EXPECT_EQ(call("GET", "/api/projects/other", {}, guest_token).status, 404u);
  EXPECT_EQ(call("DELETE", "/api/projects/app", {}, guest_token).status, 204u);
}

}  // namespace
}  // namespace routerly::admin::testing
