// /api/roles: built-ins first and immutable, custom role CRUD, validation and conflicts.
#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

class AccountsRoles : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    admin_ = token_of(setup_admin());
  }
  std::string admin_;
};

TEST_F(AccountsRoles, ListsBuiltinsFirstThenCustom) {
  auto created =
      send("POST", "/api/roles",
           json::object{{"name", "Support Team!"}, {"permissions", json::array{"report:read"}}}, admin_);
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(
      body_of(created),
      json::parse(
          R"({"id":"support-team","name":"Support Team!","permissions":["report:read"],"builtin":false})"));

  auto list = call("GET", "/api/roles", {}, admin_);
  ASSERT_EQ(list.status, 200u);
  auto all = body_of(list);
  const auto& roles = all.as_array();
  ASSERT_EQ(roles.size(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(roles[i].at("builtin").as_bool());
  EXPECT_EQ(roles[3].at("id").as_string(), "support-team");
  for (const auto& r : roles) {
    if (r.at("id") == "admin") {
      EXPECT_EQ(r.at("permissions").as_array().size(), 7u);
    }
  }
}

TEST_F(AccountsRoles, CreateValidatesAndRejectsConflicts) {
  auto bad_perm =
      send("POST", "/api/roles",
           json::object{{"name", "X"}, {"permissions", json::array{"user:read", "root:all"}}}, admin_);
  EXPECT_EQ(bad_perm.status, 400u);
  EXPECT_NE(message(bad_perm).find("'permissions[1]'"), std::string::npos) << bad_perm.body;
  EXPECT_EQ(send("POST", "/api/roles", json::object{{"permissions", json::array()}}, admin_).status, 400u);
  EXPECT_EQ(send("POST", "/api/roles", json::object{{"name", "!!!"}}, admin_).status, 400u);

  EXPECT_EQ(send("POST", "/api/roles", json::object{{"name", "Admin"}}, admin_).status, 409u);
  EXPECT_EQ(send("POST", "/api/roles", json::object{{"name", "Boss"}, {"id", "viewer"}}, admin_).status,
            409u);
  ASSERT_EQ(send("POST", "/api/roles", json::object{{"name", "Auditor"}, {"id", "aud"}}, admin_).status,
            201u);
  EXPECT_EQ(send("POST", "/api/roles", json::object{{"name", "Other"}, {"id", "aud"}}, admin_).status, 409u);
  EXPECT_EQ(send("POST", "/api/roles", json::object{{"name", "AUDITOR"}}, admin_).status, 409u);
}

TEST_F(AccountsRoles, BuiltinsAreImmutable) {
  auto put = send("PUT", "/api/roles/admin", json::object{{"name", "Root"}}, admin_);
  EXPECT_EQ(put.status, 403u);
  EXPECT_EQ(error_code(put), "forbidden");
  EXPECT_EQ(call("DELETE", "/api/roles/viewer", {}, admin_).status, 403u);
  EXPECT_EQ(call("DELETE", "/api/roles/missing", {}, admin_).status, 404u);
  EXPECT_EQ(send("PUT", "/api/roles/missing", json::object{{"name", "M"}}, admin_).status, 404u);
}

TEST_F(AccountsRoles, UpdateAndDeleteCustomRole) {
  ASSERT_EQ(send("POST", "/api/roles", json::object{{"name", "Analyst"}}, admin_).status, 201u);
  auto updated =
      send("PUT", "/api/roles/analyst",
           json::object{{"permissions", json::array{"report:read", "user:read", "report:read"}}}, admin_);
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(body_of(updated).at("permissions"), json::array({"report:read", "user:read"}));
  EXPECT_EQ(body_of(updated).at("name").as_string(), "Analyst");

  // A user holding the custom role gets exactly its permissions.
  auto user = create_user(admin_, "an@example.com", "password-1", "analyst");
  auto token = token_of(login("an@example.com", "password-1"));
  EXPECT_EQ(call("GET", "/api/users", {}, token).status, 200u);
  EXPECT_EQ(call("GET", "/api/settings", {}, token).status, 403u);

  auto held = call("DELETE", "/api/roles/analyst", {}, admin_);
  EXPECT_EQ(held.status, 409u);
  EXPECT_NE(message(held).find("1 user"), std::string::npos) << held.body;

  ASSERT_EQ(send("PUT", "/api/users/" + std::string(user.at("id").as_string()),
                 json::object{{"roleId", "viewer"}}, admin_)
                .status,
            200u);
  EXPECT_EQ(call("DELETE", "/api/roles/analyst", {}, admin_).status, 204u);
  EXPECT_EQ(body_of(call("GET", "/api/roles", {}, admin_)).as_array().size(), 3u);
}

}  // namespace
}  // namespace routerly::admin::testing
