// /api/users: CRUD, uniqueness, role and project validation, last-admin protection, permissions.
#include "fixture.hpp"

#include <tuple>
#include <vector>

#include "auth/permissions.hpp"

namespace routerly::admin::testing {
namespace {

class AccountsUsers : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    admin_ = token_of(setup_admin());
  }
  std::string admin_;
};

TEST_F(AccountsUsers, CreateListGetAndDefaultRole) {
  auto r = send("POST", "/api/users",
                json::object{{"email", "Viewer@Example.com"}, {"password", "password-1"}}, admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto user = body_of(r).as_object();
  EXPECT_EQ(user.at("email").as_string(), "Viewer@Example.com");  // stored as given
  EXPECT_EQ(user.at("roleId").as_string(), "viewer");
  EXPECT_EQ(user.at("role").as_string(), "viewer");
  EXPECT_FALSE(user.contains("passwordHash"));
  std::string id(user.at("id").as_string());

  auto list = call("GET", "/api/users", {}, admin_);
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(body_of(list).as_array().size(), 2u);
  auto users = body_of(list);
  for (const auto& u : users.as_array()) EXPECT_FALSE(u.as_object().contains("passwordHash"));

  auto one = call("GET", "/api/users/" + id, {}, admin_);
  ASSERT_EQ(one.status, 200u);
  EXPECT_EQ(body_of(one), json::value(user));
  EXPECT_EQ(call("GET", "/api/users/missing", {}, admin_).status, 404u);

  // The new user can log in with the given password.
  EXPECT_FALSE(login("viewer@example.com", "password-1").empty());
}

TEST_F(AccountsUsers, CreateValidatesInput) {
  auto dup = send("POST", "/api/users",
                  json::object{{"email", "ADMIN@example.com"}, {"password", "password-1"}}, admin_);
  EXPECT_EQ(dup.status, 409u);
  EXPECT_EQ(error_code(dup), "conflict");

  auto role =
      send("POST", "/api/users",
           json::object{{"email", "x@example.com"}, {"password", "password-1"}, {"roleId", "ghost"}}, admin_);
  EXPECT_EQ(role.status, 400u);
  EXPECT_NE(message(role).find("'roleId'"), std::string::npos) << role.body;

  auto alias = send(
      "POST", "/api/users",
      json::object{{"email", "op@example.com"}, {"password", "password-1"}, {"role", "operator"}}, admin_);
  ASSERT_EQ(alias.status, 201u) << alias.body;
  EXPECT_EQ(body_of(alias).at("roleId").as_string(), "operator");

  auto short_pw =
      send("POST", "/api/users", json::object{{"email", "y@example.com"}, {"password", "1234567"}}, admin_);
  EXPECT_EQ(short_pw.status, 400u);
  EXPECT_NE(message(short_pw).find("'password'"), std::string::npos);

  auto bad_email =
      send("POST", "/api/users", json::object{{"email", "nobody"}, {"password", "password-1"}}, admin_);
  EXPECT_EQ(bad_email.status, 400u);
  EXPECT_NE(message(bad_email).find("'email'"), std::string::npos);

  auto wrong_type =
      send("POST", "/api/users", json::object{{"email", 5}, {"password", "password-1"}}, admin_);
  EXPECT_EQ(message(wrong_type), "field 'email' must be a string");

  auto project =
      send("POST", "/api/users",
           json::object{
               {"email", "z@example.com"}, {"password", "password-1"}, {"projectIds", json::array{"nope"}}},
           admin_);
  EXPECT_EQ(project.status, 400u);
  EXPECT_NE(message(project).find("projectIds[0]"), std::string::npos) << project.body;

  EXPECT_EQ(body_of(call("GET", "/api/users", {}, admin_)).as_array().size(), 2u);  // admin + operator
}

TEST_F(AccountsUsers, ProjectIdsMakeTheUserAViewerMember) {
  put_doc(store::Collection::projects,
          json::object{{"id", "p1"}, {"name", "One"}, {"slug", "one"}, {"members", json::array()}});
  auto r =
      send("POST", "/api/users",
           json::object{
               {"email", "m@example.com"}, {"password", "password-1"}, {"projectIds", json::array{"one"}}},
           admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto user = body_of(r).as_object();
  EXPECT_EQ(user.at("projectIds"), json::array({"p1"}));
  std::string id(user.at("id").as_string());

  const auto* project = config_->current()->project("p1");
  ASSERT_NE(project, nullptr);
  EXPECT_EQ(project->at("members"), json::parse(R"([{"userId":")" + id + R"(","role":"viewer"}])"));

  // Deleting the user removes the membership and locks the user out at once.
  auto session = login("m@example.com", "password-1");
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(session)).status, 200u);
  EXPECT_EQ(call("DELETE", "/api/users/" + id, {}, admin_).status, 204u);
  EXPECT_TRUE(config_->current()->project("p1")->at("members").as_array().empty());
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(session)).status, 401u);
  EXPECT_EQ(
      send("POST", "/api/auth/refresh", json::object{{"refreshToken", session.at("refreshToken")}}).status,
      401u);
  EXPECT_EQ(call("DELETE", "/api/users/" + id, {}, admin_).status, 404u);
}

TEST_F(AccountsUsers, UpdateChangesEmailRoleAndPassword) {
  auto user = create_user(admin_, "u@example.com", "password-1");
  create_user(admin_, "other@example.com", "password-2");
  std::string id(user.at("id").as_string());
  auto session = login("u@example.com", "password-1");

  auto taken = send("PUT", "/api/users/" + id, json::object{{"email", "OTHER@example.com"}}, admin_);
  EXPECT_EQ(taken.status, 409u);
  auto ghost = send("PUT", "/api/users/" + id, json::object{{"role", "ghost"}}, admin_);
  EXPECT_EQ(ghost.status, 400u);
  EXPECT_NE(message(ghost).find("'role'"), std::string::npos);
  EXPECT_EQ(send("PUT", "/api/users/missing", json::object{{"email", "q@example.com"}}, admin_).status, 404u);

  auto changed = send(
      "PUT", "/api/users/" + id,
      json::object{{"email", "renamed@example.com"}, {"roleId", "operator"}, {"newPassword", "password-9"}},
      admin_);
  ASSERT_EQ(changed.status, 200u) << changed.body;
  EXPECT_EQ(body_of(changed).at("email").as_string(), "renamed@example.com");
  EXPECT_EQ(body_of(changed).at("roleId").as_string(), "operator");
  // A password reset ends the user's sessions.
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(session)).status, 401u);
  EXPECT_FALSE(login("renamed@example.com", "password-9").empty());
}

TEST_F(AccountsUsers, LastAdminCannotBeDemotedOrDeleted) {
  std::string admin_id(body_of(call("GET", "/api/me", {}, admin_)).at("id").as_string());
  auto demote = send("PUT", "/api/users/" + admin_id, json::object{{"roleId", "viewer"}}, admin_);
  EXPECT_EQ(demote.status, 409u);
  EXPECT_EQ(error_code(demote), "conflict");
  auto del = call("DELETE", "/api/users/" + admin_id, {}, admin_);
  EXPECT_EQ(del.status, 409u);

  // With a second admin, the first may go.
  auto second = create_user(admin_, "admin2@example.com", "password-2", "admin");
  EXPECT_EQ(call("DELETE", "/api/users/" + admin_id, {}, admin_).status, 204u);
  auto token2 = token_of(login("admin2@example.com", "password-2"));
  std::string id2(second.at("id").as_string());
  EXPECT_EQ(call("DELETE", "/api/users/" + id2, {}, token2).status, 409u);
  EXPECT_EQ(call("GET", "/api/me", {}, admin_).status, 401u);  // the deleted admin's JWT is dead
}

TEST_F(AccountsUsers, ViewerLacksUserPermissions) {
  create_user(admin_, "v@example.com", "password-1", "viewer");
  auto viewer = token_of(login("v@example.com", "password-1"));
  auto list = call("GET", "/api/users", {}, viewer);
  EXPECT_EQ(list.status, 403u);
  EXPECT_EQ(error_code(list), "forbidden");
  EXPECT_EQ(message(list), "requires permission 'user:read'");
  auto create = send("POST", "/api/users",
                     json::object{{"email", "w@example.com"}, {"password", "password-1"}}, viewer);
  EXPECT_EQ(message(create), "requires permission 'user:write'");
  EXPECT_EQ(call("GET", "/api/settings", {}, viewer).status, 403u);
  EXPECT_EQ(call("GET", "/api/roles", {}, viewer).status, 403u);
  // Viewers do have report:read.
  EXPECT_EQ(call("GET", "/api/usage", {}, viewer).status, 200u);

  // An operator reads users but cannot change them.
  create_user(admin_, "o@example.com", "password-1", "operator");
  auto op = token_of(login("o@example.com", "password-1"));
  EXPECT_EQ(call("GET", "/api/users", {}, op).status, 200u);
  EXPECT_EQ(call("DELETE", "/api/users/whatever", {}, op).status, 403u);
  EXPECT_EQ(call("GET", "/api/users", {}).status, 401u);
}


// A holder of user:write whose role lacks other permissions: it may grant only what it holds.
class UserWriteHolder : public AccountsUsers {
 protected:
  void SetUp() override {
    AccountsUsers::SetUp();
    auto role = send("POST", "/api/roles",
                     json::object{{"id", "user-manager"},
                                  {"name", "User manager"},
                                  {"permissions", json::array{"user:read", "user:write", "report:read"}}},
                     admin_);
    ASSERT_EQ(role.status, 201u) << role.body;
    self_ = create_user(admin_, "um@example.com", "password-1", "user-manager");
    manager_ = token_of(login("um@example.com", "password-1"));
    self_id_ = std::string(self_.at("id").as_string());
  }
  std::string current_role(const std::string& id) {
    return std::string(config_->current()->user(id)->at("roleId").as_string());
  }
  json::object self_;
  std::string manager_, self_id_;
};

TEST_F(UserWriteHolder, CannotCreateAUserWithARoleHoldingMore) {
  for (const auto& [field, role, missing] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"roleId", "admin", "project:read"},
                                                                      {"role", "admin", "project:read"},
                                                                      {"roleId", "operator", "project:read"},
                                                                      {"roleId", "viewer", "project:read"}}) {
    auto r = send("POST", "/api/users",
                  json::object{{"email", "new-" + role + "@example.com"}, {"password", "password-1"}, {field, role}},
                  manager_);
    EXPECT_EQ(r.status, 403u) << role << " " << r.body;
    EXPECT_EQ(error_code(r), "forbidden");
    EXPECT_NE(message(r).find("'" + missing + "'"), std::string::npos) << r.body;
  }
  EXPECT_EQ(config_->current()->docs.users.size(), 2u);
  // Its own role, or a lesser one, may be granted.
  auto same = send("POST", "/api/users",
                   json::object{{"email", "peer@example.com"}, {"password", "password-1"}, {"roleId", "user-manager"}},
                   manager_);
  EXPECT_EQ(same.status, 201u) << same.body;
}

TEST_F(UserWriteHolder, CannotRaiseItsOwnRole) {
  for (const char* role : {"admin", "operator"}) {
    auto r = send("PUT", "/api/users/" + self_id_, json::object{{"roleId", role}}, manager_);
    EXPECT_EQ(r.status, 403u) << role << " " << r.body;
    EXPECT_NE(message(r).find("requires permission"), std::string::npos) << r.body;
  }
  EXPECT_EQ(current_role(self_id_), "user-manager");
  // Nor by adding permissions to the role it holds.
  auto widen = send("PUT", "/api/roles/user-manager",
                    json::object{{"permissions", json::array{"user:read", "user:write", "model:write"}}}, manager_);
  EXPECT_EQ(widen.status, 403u) << widen.body;
  EXPECT_NE(message(widen).find("'model:write'"), std::string::npos) << widen.body;
  auto fresh = send("POST", "/api/roles",
                    json::object{{"name", "Everything"}, {"permissions", json::array{"project:write"}}}, manager_);
  EXPECT_EQ(fresh.status, 403u) << fresh.body;
  // A role within its own permissions is fine.
  auto ok = send("POST", "/api/roles",
                 json::object{{"name", "Reporter"}, {"permissions", json::array{"report:read"}}}, manager_);
  EXPECT_EQ(ok.status, 201u) << ok.body;
}

TEST_F(UserWriteHolder, CannotPromoteOthersOrTakeOverAnAdmin) {
  auto viewer = create_user(admin_, "v@example.com", "password-1", "viewer");
  std::string viewer_id(viewer.at("id").as_string());
  // The viewer holds permissions the manager lacks: not the manager's to change.
  EXPECT_EQ(send("PUT", "/api/users/" + viewer_id, json::object{{"roleId", "user-manager"}}, manager_).status,
            403u);
  auto reporter_role = send("POST", "/api/roles",
                            json::object{{"id", "reporter"}, {"name", "Reporter"},
                                         {"permissions", json::array{"report:read"}}},
                            admin_);
  ASSERT_EQ(reporter_role.status, 201u);
  auto reporter = create_user(admin_, "r@example.com", "password-1", "reporter");
  std::string reporter_id(reporter.at("id").as_string());
  auto promote = send("PUT", "/api/users/" + reporter_id, json::object{{"role", "admin"}}, manager_);
  EXPECT_EQ(promote.status, 403u) << promote.body;
  EXPECT_EQ(current_role(reporter_id), "reporter");
  EXPECT_EQ(send("PUT", "/api/users/" + reporter_id, json::object{{"roleId", "user-manager"}}, manager_).status,
            200u);

  // Resetting the admin's password (and so signing in as the admin) is refused.
  std::string admin_id(config_->current()->user_by_email(kAdminEmail)->at("id").as_string());
  auto reset = send("PUT", "/api/users/" + admin_id, json::object{{"newPassword", "taken-over-1"}}, manager_);
  EXPECT_EQ(reset.status, 403u) << reset.body;
  EXPECT_EQ(call("DELETE", "/api/users/" + admin_id, {}, manager_).status, 403u);
  EXPECT_FALSE(login(kAdminEmail, kAdminPassword).empty());
}

TEST_F(AccountsUsers, AllPermissionsButNotAdminCannotGrantAdmin) {
  json::array all;
  for (auto p : auth::kAllPermissions) all.emplace_back(p);
  ASSERT_EQ(send("POST", "/api/roles", json::object{{"id", "almost"}, {"name", "Almost"}, {"permissions", all}},
                 admin_)
                .status,
            201u);
  create_user(admin_, "almost@example.com", "password-1", "almost");
  auto almost = token_of(login("almost@example.com", "password-1"));
  auto r = send("POST", "/api/users",
                json::object{{"email", "x@example.com"}, {"password", "password-1"}, {"roleId", "admin"}}, almost);
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_NE(message(r).find("admin"), std::string::npos);
  // The admin grants any role.
  EXPECT_FALSE(create_user(admin_, "a2@example.com", "password-1", "admin").empty());
}

}  // namespace
}  // namespace routerly::admin::testing
