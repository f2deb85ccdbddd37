// /api/settings, /api/system/*, /api/usage and routing of unknown paths.
#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

class AccountsSystem : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    admin_ = token_of(setup_admin());
  }
  std::string admin_;
};

TEST_F(AccountsSystem, SettingsReadAndPartialUpdate) {
  auto got = call("GET", "/api/settings", {}, admin_);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(body_of(got).at("defaultTimeoutMs").to_number<int64_t>(), 30000);

  auto put = send("PUT", "/api/settings", json::object{{"defaultTimeoutMs", 45000}}, admin_);
  ASSERT_EQ(put.status, 200u) << put.body;
  EXPECT_EQ(body_of(put).at("defaultTimeoutMs").to_number<int64_t>(), 45000);
  EXPECT_TRUE(body_of(put).as_object().contains("logLevel"));  // effective settings, defaults included
  EXPECT_EQ(config_->current()->docs.settings.at("defaultTimeoutMs").to_number<int64_t>(), 45000);

  auto bad = send("PUT", "/api/settings", json::object{{"defaultTimeoutMs", "soon"}}, admin_);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(message(bad).find("defaultTimeoutMs"), std::string::npos) << bad.body;
  EXPECT_EQ(body_of(call("GET", "/api/settings", {}, admin_)).at("defaultTimeoutMs").to_number<int64_t>(),
            45000);
  EXPECT_EQ(call("PUT", "/api/settings", std::string("[]"), admin_).status, 400u);
}

TEST_F(AccountsSystem, InfoShowsPathsOnlyToASignedInAdmin) {
  create_user(admin_, "op@example.com", "password-1", "operator");
  const std::string op = token_of(login("op@example.com", "password-1"));
  for (const std::string& token : {std::string(), op, std::string("not-a-jwt")}) {
    auto info = call("GET", "/api/system/info", {}, token);
    ASSERT_EQ(info.status, 200u) << info.body;
    auto v = body_of(info).as_object();
    for (auto key : {"version", "channel", "isDocker", "updateInfo"}) EXPECT_TRUE(v.contains(key)) << key;
    EXPECT_FALSE(v.contains("configDir")) << token;
    EXPECT_FALSE(v.contains("dataDir")) << token;
    EXPECT_EQ(info.body.find(paths_.home.string()), std::string::npos) << info.body;
  }
  auto v = body_of(call("GET", "/api/system/info", {}, admin_)).as_object();
  EXPECT_EQ(v.at("configDir").as_string(), paths_.home.string());
  EXPECT_EQ(v.at("dataDir").as_string(), paths_.home.string());
}

TEST_F(AccountsSystem, InfoIsPublicAndUpdateIsRefused) {
  auto info = call("GET", "/api/system/info", {}, admin_);
  ASSERT_EQ(info.status, 200u);
  auto v = body_of(info).as_object();
  for (auto key : {"version", "nodeVersion", "platform", "configDir", "dataDir", "uptimeSeconds", "channel",
                   "isDocker", "updateInfo"})
    EXPECT_TRUE(v.contains(key)) << key;
  EXPECT_EQ(v.at("version").as_string(), ROUTERLY_VERSION);
  EXPECT_EQ(v.at("nodeVersion").as_string().subview().substr(0, 4), "C++ ");
  EXPECT_EQ(v.at("configDir").as_string(), paths_.home.string());
  EXPECT_EQ(v.at("channel").as_string(), "latest");
  EXPECT_TRUE(v.at("updateInfo").is_null());

  EXPECT_EQ(call("GET", "/api/system/update-check").status, 401u);
  auto check = call("GET", "/api/system/update-check", {}, admin_);
  ASSERT_EQ(check.status, 200u);
  EXPECT_FALSE(body_of(check).at("available").as_bool());
  auto releases = call("GET", "/api/system/releases", {}, admin_);
  EXPECT_EQ(body_of(releases), json::parse(R"({"channels":["latest","stable","develop"],"versions":[]})"));

  auto update = call("POST", "/api/system/update", {}, admin_);
  EXPECT_EQ(update.status, 403u);
  EXPECT_EQ(message(update), "in-app update is not available in this build");
  create_user(admin_, "op@example.com", "password-1", "operator");
  auto op = token_of(login("op@example.com", "password-1"));
  EXPECT_EQ(message(call("POST", "/api/system/update", {}, op)), "admin only");

  auto oauth = call("POST", "/api/test/openai-oauth", {}, op);
  ASSERT_EQ(oauth.status, 200u);
  EXPECT_FALSE(body_of(oauth).at("ok").as_bool());
}

TEST_F(AccountsSystem, UsageShapeAndPagingValidation) {
  auto usage = call("GET", "/api/usage?period=all&pageSize=50", {}, admin_);
  ASSERT_EQ(usage.status, 200u) << usage.body;
  auto v = body_of(usage).as_object();
  EXPECT_EQ(v.at("summary").at("totalCalls").to_number<int64_t>(), 0);
  EXPECT_EQ(v.at("summary").at("errorCalls").to_number<int64_t>(), 0);
  EXPECT_EQ(v.at("summary").at("avgLatencyMs").to_number<double>(), 0);
  EXPECT_TRUE(v.at("timeline").as_array().empty());
  EXPECT_TRUE(v.at("byModel").as_object().empty());
  EXPECT_TRUE(v.at("records").as_array().empty());
  EXPECT_EQ(v.at("pagination"), json::parse(R"({"page":1,"pageSize":50,"totalRecords":0,"totalPages":1})"));
  EXPECT_EQ(
      body_of(call("GET", "/api/usage", {}, admin_)).at("pagination").at("pageSize").to_number<int64_t>(),
      100);

  auto bad_page = call("GET", "/api/usage?page=two", {}, admin_);
  EXPECT_EQ(bad_page.status, 400u);
  EXPECT_NE(message(bad_page).find("'page'"), std::string::npos);
  EXPECT_NE(message(call("GET", "/api/usage?pageSize=1.5", {}, admin_)).find("'pageSize'"),
            std::string::npos);

  // Real records (filters, aggregates, traces) are covered by usage_api_test.cpp.
  store::UsageRow row;
  row.id = "abc";
  row.timestamp_ms = clock::now_ms();
  ASSERT_TRUE(store_->insert_usage({row}));
  EXPECT_EQ(call("GET", "/api/usage/abc", {}, admin_).status, 200u);
  EXPECT_EQ(body_of(call("GET", "/api/usage?period=all", {}, admin_)).at("pagination").at("totalRecords"), 1);
  EXPECT_EQ(call("GET", "/api/usage/other", {}, admin_).status, 404u);
  EXPECT_EQ(error_code(call("GET", "/api/traces/abc", {}, admin_)), "not_found");
  EXPECT_EQ(call("GET", "/api/usage").status, 401u);
}

TEST_F(AccountsSystem, UnknownPathAndWrongMethod) {
  EXPECT_EQ(call("GET", "/api/nothing-here", {}, admin_).status, 404u);
  EXPECT_EQ(call("DELETE", "/api/me", {}, admin_).status, 405u);
  EXPECT_EQ(call("GET", "/api/auth/login").status, 405u);
}

}  // namespace
}  // namespace routerly::admin::testing
