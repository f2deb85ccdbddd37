// admin/guard.hpp: project access by id or slug, 404 for invisible projects, 403 for read-only ones.
#include "admin/guard.hpp"
#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

class AccountsGuard : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    admin_ = token_of(setup_admin());
    ASSERT_EQ(
        send("POST", "/api/roles", json::object{{"name", "Guest"}, {"permissions", json::array()}}, admin_)
            .status,
        201u);
    member_id_ =
        std::string(create_user(admin_, "member@example.com", "password-1", "guest").at("id").as_string());
    create_user(admin_, "outsider@example.com", "password-1", "guest");
    put_doc(store::Collection::projects,
            json::object{{"id", "p1"},
                         {"name", "One"},
                         {"slug", "one"},
                         {"members", json::array{json::object{{"userId", member_id_}, {"role", "viewer"}}}}});
  }

  Result<ProjectCaller> access(const std::string& token, std::string_view project,
                               auth::ProjectAction action) {
    http::Request req;
    req.headers.push_back({"authorization", "Bearer " + token});
    return require_project(*ctx_, req, project, action);
  }

  std::string admin_;
  std::string member_id_;
};

TEST_F(AccountsGuard, ProjectAccessFollowsMembership) {
  auto member = token_of(login("member@example.com", "password-1"));
  auto outsider = token_of(login("outsider@example.com", "password-1"));

  auto by_slug = access(member, "one", auth::ProjectAction::read);
  ASSERT_TRUE(by_slug) << by_slug.error().message;
  EXPECT_EQ(by_slug->project->at("id").as_string(), "p1");
  EXPECT_EQ(by_slug->caller.user_id(), member_id_);
  EXPECT_EQ(by_slug->caller.role_id(), "guest");

  auto write = access(member, "p1", auth::ProjectAction::write);
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, ErrorCode::forbidden);
  EXPECT_NE(write.error().message.find("project:write"), std::string::npos);

  auto hidden = access(outsider, "p1", auth::ProjectAction::read);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::not_found);
  EXPECT_EQ(access(admin_, "missing", auth::ProjectAction::read).error().code, ErrorCode::not_found);

  EXPECT_TRUE(access(admin_, "one", auth::ProjectAction::manage_members));
  EXPECT_EQ(access("garbage", "p1", auth::ProjectAction::read).error().code, ErrorCode::unauthorized);
}

}  // namespace
}  // namespace routerly::admin::testing
