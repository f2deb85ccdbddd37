#include "auth/permissions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>

namespace routerly::auth {
namespace {

using boost::json::object;

object obj(std::string_view json) {
  return boost::json::parse(json).as_object();
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

class PermissionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    snap_.docs.roles.push_back(
        obj(R"({"id":"auditor","name":"Auditor","permissions":["report:read","user:read"]})"));
    snap_.docs.roles.push_back(
        obj(R"({"id":"odd","name":"Odd","permissions":["model:read",42,null,{"x":1},"made:up"]})"));
    snap_.docs.roles.push_back(obj(R"({"id":"broken","name":"Broken","permissions":"model:read"})"));
    // A stored role may not shadow a built-in.
    snap_.docs.roles.push_back(obj(R"({"id":"viewer","name":"Fake viewer","permissions":["user:write"]})"));
    snap_.docs.roles.push_back(obj(R"({"id":"projwriter","name":"PW","permissions":["project:write"]})"));
    snap_.docs.roles.push_back(obj(R"({"id":"projreader","name":"PR","permissions":["project:read"]})"));
    snap_.index();
  }

  object user(std::string_view id, std::string_view role) const {
    object u;
    u["id"] = id;
    u["email"] = std::string(id) + "@example.com";
    u["roleId"] = role;
    return u;
  }

  config::Snapshot snap_;
  const object project_ = obj(R"({"id":"p1","slug":"p1","members":[
      {"userId":"v","role":"viewer"},{"userId":"e","role":"editor"},{"userId":"a","role":"admin"},
      {"userId":"x","role":"owner"},{"userId":7,"role":"admin"}]})");
};

TEST_F(PermissionsTest, BuiltinRoles) {
  ASSERT_EQ(builtin_roles().size(), 3U);
  EXPECT_TRUE(is_builtin_role("admin"));
  EXPECT_TRUE(is_builtin_role("viewer"));
  EXPECT_TRUE(is_builtin_role("operator"));
  EXPECT_FALSE(is_builtin_role("auditor"));
  EXPECT_FALSE(is_builtin_role("Admin"));

  EXPECT_EQ(sorted(role_permissions(snap_, "admin")),
            sorted({"project:read", "project:write", "model:read", "model:write", "user:read", "user:write",
                    "report:read"}));
  EXPECT_EQ(sorted(role_permissions(snap_, "viewer")), sorted({"project:read", "model:read", "report:read"}));
  EXPECT_EQ(
      sorted(role_permissions(snap_, "operator")),
      sorted({"project:read", "project:write", "model:read", "model:write", "report:read", "user:read"}));

  EXPECT_TRUE(has_permission(snap_, "admin", "user:write"));
  EXPECT_FALSE(has_permission(snap_, "operator", "user:write"));
  EXPECT_TRUE(has_permission(snap_, "operator", "user:read"));
  EXPECT_FALSE(has_permission(snap_, "viewer", "project:write"));
  EXPECT_FALSE(has_permission(snap_, "viewer", "user:write"));  // the stored "viewer" is ignored
}

TEST_F(PermissionsTest, CustomAndUnknownRoles) {
  EXPECT_EQ(sorted(role_permissions(snap_, "auditor")), sorted({"report:read", "user:read"}));
  EXPECT_TRUE(has_permission(snap_, "auditor", "report:read"));
  EXPECT_FALSE(has_permission(snap_, "auditor", "model:read"));
  // Only string entries count.
  EXPECT_EQ(sorted(role_permissions(snap_, "odd")), sorted({"made:up", "model:read"}));
  EXPECT_TRUE(role_permissions(snap_, "broken").empty());
  EXPECT_TRUE(role_permissions(snap_, "nobody").empty());
  EXPECT_TRUE(role_permissions(snap_, "").empty());
  EXPECT_FALSE(has_permission(snap_, "nobody", "project:read"));
}

TEST_F(PermissionsTest, GlobalProjectPermissions) {
  for (const auto action : {ProjectAction::read, ProjectAction::write, ProjectAction::manage_members}) {
    EXPECT_TRUE(can_access_project(snap_, user("u1", "admin"), project_, action));
    EXPECT_TRUE(can_access_project(snap_, user("u1", "operator"), project_, action));
    EXPECT_TRUE(can_access_project(snap_, user("u1", "projwriter"), project_, action));
  }
  EXPECT_TRUE(can_access_project(snap_, user("u1", "viewer"), project_, ProjectAction::read));
  EXPECT_FALSE(can_access_project(snap_, user("u1", "viewer"), project_, ProjectAction::write));
  EXPECT_FALSE(can_access_project(snap_, user("u1", "viewer"), project_, ProjectAction::manage_members));
  EXPECT_TRUE(can_access_project(snap_, user("u1", "projreader"), project_, ProjectAction::read));
  EXPECT_FALSE(can_access_project(snap_, user("u1", "projreader"), project_, ProjectAction::write));
}

TEST_F(PermissionsTest, MembershipGrants) {
  struct Case {
    const char* user_id;
    bool read, write, manage;
  };
  for (const Case c :
       {Case{"v", true, false, false}, Case{"e", true, true, false}, Case{"a", true, true, true},
        Case{"x", false, false, false}, Case{"stranger", false, false, false}}) {
    // "auditor" has no project permission: access comes only from membership.
    const object u = user(c.user_id, "auditor");
    EXPECT_EQ(can_access_project(snap_, u, project_, ProjectAction::read), c.read) << c.user_id;
    EXPECT_EQ(can_access_project(snap_, u, project_, ProjectAction::write), c.write) << c.user_id;
    EXPECT_EQ(can_access_project(snap_, u, project_, ProjectAction::manage_members), c.manage) << c.user_id;
  }
  // Membership also lifts a global viewer (read-only) to write on that project.
  EXPECT_TRUE(can_access_project(snap_, user("e", "viewer"), project_, ProjectAction::write));
  // A user with an unknown role still gets membership rights.
  EXPECT_TRUE(can_access_project(snap_, user("a", "ghost"), project_, ProjectAction::manage_members));
}

TEST_F(PermissionsTest, NoMembership) {
  const object no_members = obj(R"({"id":"p2"})");
  const object bad_members = obj(R"({"id":"p3","members":{"a":"admin"}})");
  for (const auto action : {ProjectAction::read, ProjectAction::write, ProjectAction::manage_members}) {
    EXPECT_FALSE(can_access_project(snap_, user("a", "auditor"), no_members, action));
    EXPECT_FALSE(can_access_project(snap_, user("a", "auditor"), bad_members, action));
    EXPECT_FALSE(can_access_project(snap_, user("a", "nobody"), no_members, action));
  }
  // A user document without an id never matches a member.
  object anonymous;
  anonymous["roleId"] = "auditor";
  EXPECT_FALSE(can_access_project(snap_, anonymous, project_, ProjectAction::read));
  EXPECT_TRUE(can_access_project(snap_, user("a", "admin"), no_members, ProjectAction::manage_members));
}

}  // namespace
}  // namespace routerly::auth
