// Setup, login, refresh rotation, logout, throttling and /api/me.
#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

using AccountsSessions = AdminFixture;

TEST_F(AccountsSessions, SetupStatusFlipsOnceTheFirstAdminExists) {
  auto before = call("GET", "/api/setup/status");
  ASSERT_EQ(before.status, 200u);
  EXPECT_EQ(body_of(before), json::parse(R"({"configured":false,"needsSetup":true})"));

  auto session = setup_admin();
  EXPECT_EQ(session.at("expiresIn").as_int64(), 86400);
  EXPECT_EQ(session.at("refreshToken").as_string().size(), 64u);
  const auto& user = session.at("user").as_object();
  EXPECT_EQ(user.at("email").as_string(), kAdminEmail);
  EXPECT_EQ(user.at("role").as_string(), "admin");
  EXPECT_EQ(user.at("permissions").as_array().size(), 7u);
  EXPECT_EQ(std::count(session.at("token").as_string().begin(), session.at("token").as_string().end(), '.'),
            2);

  auto after = call("GET", "/api/setup/status");
  EXPECT_EQ(body_of(after), json::parse(R"({"configured":true,"needsSetup":false})"));

  auto again = send("POST", "/api/setup/first-admin",
                    json::object{{"email", "b@example.com"}, {"password", "long-enough"}});
  EXPECT_EQ(again.status, 403u);
  EXPECT_EQ(error_code(again), "forbidden");
}

TEST_F(AccountsSessions, FirstAdminValidatesEmailAndPassword) {
  auto no_at =
      send("POST", "/api/setup/first-admin", json::object{{"email", "admin"}, {"password", "long-enough"}});
  EXPECT_EQ(no_at.status, 400u);
  EXPECT_NE(message(no_at).find("'email'"), std::string::npos) << no_at.body;

  auto short_pw =
      send("POST", "/api/setup/first-admin", json::object{{"email", "a@b.c"}, {"password", "short"}});
  EXPECT_EQ(short_pw.status, 400u);
  EXPECT_NE(message(short_pw).find("'password'"), std::string::npos);

  auto bad_json = call("POST", "/api/setup/first-admin", std::string("{nope"));
  EXPECT_EQ(bad_json.status, 400u);
  EXPECT_EQ(error_code(bad_json), "validation_error");
  EXPECT_EQ(message(bad_json).rfind("request body is not valid JSON: ", 0), 0u) << message(bad_json);

  auto not_object = call("POST", "/api/setup/first-admin", std::string("[1]"));
  EXPECT_EQ(message(not_object), "request body must be a JSON object");

  EXPECT_EQ(body_of(call("GET", "/api/setup/status")).at("needsSetup").as_bool(), true);
}

TEST_F(AccountsSessions, LoginChecksCredentialsCaseInsensitiveEmail) {
  setup_admin();
  auto wrong =
      send("POST", "/api/auth/login", json::object{{"email", kAdminEmail}, {"password", "wrong-password"}});
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(message(wrong), "invalid email or password");
  auto unknown =
      send("POST", "/api/auth/login", json::object{{"email", "x@example.com"}, {"password", kAdminPassword}});
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(message(unknown), message(wrong));
  auto missing = send("POST", "/api/auth/login", json::object{{"email", kAdminEmail}});
  EXPECT_EQ(missing.status, 400u);
  EXPECT_NE(message(missing).find("'password'"), std::string::npos);

  auto session = login("ADMIN@Example.com", kAdminPassword);
  ASSERT_FALSE(session.empty());
  auto me = call("GET", "/api/me", {}, token_of(session));
  ASSERT_EQ(me.status, 200u) << me.body;
  auto view = body_of(me).as_object();
  EXPECT_EQ(view.at("email").as_string(), kAdminEmail);
  EXPECT_EQ(view.at("roleId").as_string(), "admin");
  EXPECT_EQ(view.at("role").as_string(), "admin");
  EXPECT_TRUE(view.at("projectIds").as_array().empty());
  EXPECT_FALSE(view.contains("passwordHash"));
  EXPECT_TRUE(view.contains("createdAt"));
}

TEST_F(AccountsSessions, MissingOrForgedTokenIsUnauthorized) {
  auto session = setup_admin();
  EXPECT_EQ(call("GET", "/api/me").status, 401u);
  EXPECT_EQ(error_code(call("GET", "/api/me", {}, "not.a.jwt")), "unauthorized");
  std::string token = token_of(session);
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(call("GET", "/api/me", {}, token).status, 401u);
}

TEST_F(AccountsSessions, RefreshRotatesAndReuseRevokesTheSession) {
  auto first = setup_admin();
  std::string r1(first.at("refreshToken").as_string());

  auto rotated = send("POST", "/api/auth/refresh", json::object{{"refreshToken", r1}});
  ASSERT_EQ(rotated.status, 200u) << rotated.body;
  auto second = body_of(rotated).as_object();
  std::string r2(second.at("refreshToken").as_string());
  EXPECT_NE(r1, r2);
  EXPECT_EQ(second.at("user").at("role").as_string(), "admin");
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(second)).status, 200u);

  // Presenting the rotated token again is reuse: the whole session ends.
  auto reuse = send("POST", "/api/auth/refresh", json::object{{"refreshToken", r1}});
  EXPECT_EQ(reuse.status, 401u);
  EXPECT_EQ(send("POST", "/api/auth/refresh", json::object{{"refreshToken", r2}}).status, 401u);
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(second)).status, 401u);
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(first)).status, 401u);

  EXPECT_EQ(send("POST", "/api/auth/refresh", json::object{{"refreshToken", "unknown"}}).status, 401u);
  EXPECT_EQ(send("POST", "/api/auth/refresh", json::object()).status, 400u);
}

TEST_F(AccountsSessions, RefreshTokenExpiresAfterThirtyDaysUnused) {
  setup_admin();
  auto snap = config_->current();
  std::string user_id(snap->docs.users.at(0).at("id").as_string());
  int64_t long_ago = clock::now_ms() - int64_t{31} * 24 * 3600 * 1000;
  ASSERT_TRUE(store_->create_session(store::Session{"old-session", user_id, long_ago, long_ago, false},
                                     crypto::sha256_hex("old-refresh")));
  auto r = send("POST", "/api/auth/refresh", json::object{{"refreshToken", "old-refresh"}});
  EXPECT_EQ(r.status, 401u);
  EXPECT_NE(message(r).find("expired"), std::string::npos) << r.body;
}

TEST_F(AccountsSessions, LogoutEndsTheJwtAndTheRefreshToken) {
  setup_admin();
  auto a = login(kAdminEmail, kAdminPassword);
  auto b = login(kAdminEmail, kAdminPassword);
  auto out = call("POST", "/api/auth/logout", std::string(), token_of(a));
  EXPECT_EQ(out.status, 204u);
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(a)).status, 401u);
  EXPECT_EQ(send("POST", "/api/auth/refresh", json::object{{"refreshToken", a.at("refreshToken")}}).status,
            401u);
  // Another session of the same user is unaffected.
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(b)).status, 200u);
  EXPECT_EQ(call("POST", "/api/auth/logout", std::string(), token_of(a)).status, 401u);
}

TEST_F(AccountsSessions, EleventhAttemptIsThrottledEvenWithTheRightPassword) {
  setup_admin();
  for (int i = 0; i < 10; ++i) {
    auto r =
        send("POST", "/api/auth/login", json::object{{"email", kAdminEmail}, {"password", "wrong-password"}});
    ASSERT_EQ(r.status, 401u) << "attempt " << i + 1;
  }
  auto blocked = send("POST", "/api/auth/login",
                      json::object{{"email", "Admin@example.com"}, {"password", kAdminPassword}});
  EXPECT_EQ(blocked.status, 429u);
  EXPECT_EQ(error_code(blocked), "rate_limited");
  ASSERT_FALSE(blocked.header("retry-after").empty());
  EXPECT_GT(std::stoll(std::string(blocked.header("retry-after"))), 0);
  // Only that address is blocked for the account: its owner signs in from elsewhere.
  auto owner = call("POST", "/api/auth/login",
                    json::serialize(json::object{{"email", kAdminEmail}, {"password", kAdminPassword}}), {},
                    "192.0.2.44");
  EXPECT_EQ(owner.status, 200u) << owner.body;
}

TEST_F(AccountsSessions, AttackersElsewhereCannotLockTheAdminOut) {
  setup_admin();
  for (int i = 0; i < 40; ++i) {
    auto r = call("POST", "/api/auth/login",
                  json::serialize(json::object{{"email", kAdminEmail}, {"password", "guess-" + std::to_string(i)}}),
                  {}, "203.0.113." + std::to_string(i % 4));
    ASSERT_TRUE(r.status == 401u || r.status == 429u) << r.status;
  }
  // The account is slowed down, not blocked; the attacking addresses are.
  EXPECT_GT(throttle_.check(kAdminEmail, "198.51.100.1", clock::now_ms()).delay_ms, 0);
  EXPECT_EQ(call("POST", "/api/auth/login",
                 json::serialize(json::object{{"email", kAdminEmail}, {"password", kAdminPassword}}), {},
                 "203.0.113.1")
                .status,
            429u);
  auto owner = call("POST", "/api/auth/login",
                    json::serialize(json::object{{"email", kAdminEmail}, {"password", kAdminPassword}}), {},
                    "198.51.100.1");
  EXPECT_EQ(owner.status, 200u) << owner.body;
}

TEST_F(AccountsSessions, WrongCurrentPasswordOnPutMeCountsAsAFailedLogin) {
  auto session = setup_admin();
  const std::string token = token_of(session);
  for (int i = 0; i < 10; ++i) {
    auto r = send("PUT", "/api/me", json::object{{"currentPassword", "guess-" + std::to_string(i)}}, token);
    ASSERT_EQ(r.status, 400u) << r.body;
  }
  auto blocked = send("PUT", "/api/me", json::object{{"currentPassword", kAdminPassword}}, token);
  EXPECT_EQ(blocked.status, 429u) << blocked.body;
  EXPECT_EQ(error_code(blocked), "rate_limited");
  auto login_blocked = send("POST", "/api/auth/login",
                            json::object{{"email", kAdminEmail}, {"password", kAdminPassword}});
  EXPECT_EQ(login_blocked.status, 429u);
}

TEST_F(AccountsSessions, UnknownRefreshTokensCountAgainstTheAddress) {
  setup_admin();
  for (int i = 0; i < 50; ++i) {
    auto r = call("POST", "/api/auth/refresh", json::serialize(json::object{{"refreshToken", "guess"}}), {},
                  "10.9.9.9");
    ASSERT_EQ(r.status, 401u);
  }
  EXPECT_EQ(call("POST", "/api/auth/refresh", json::serialize(json::object{{"refreshToken", "guess"}}), {},
                 "10.9.9.9")
                .status,
            429u);
  EXPECT_EQ(call("POST", "/api/auth/refresh", json::serialize(json::object{{"refreshToken", "guess"}}), {},
                 "10.9.9.10")
                .status,
            401u);
}

TEST_F(AccountsSessions, ThrottleAppliesPerAddressAcrossAccounts) {
  setup_admin();
  for (int i = 0; i < 50; ++i) {
    std::string email = "nobody" + std::to_string(i) + "@example.com";
    call("POST", "/api/auth/login",
         json::serialize(json::object{{"email", email}, {"password", "whatever1"}}), {}, "10.0.0.9");
  }
  auto from_same = call("POST", "/api/auth/login",
                        json::serialize(json::object{{"email", kAdminEmail}, {"password", kAdminPassword}}),
                        {}, "10.0.0.9");
  EXPECT_EQ(from_same.status, 429u);
  auto from_other = call("POST", "/api/auth/login",
                         json::serialize(json::object{{"email", kAdminEmail}, {"password", kAdminPassword}}),
                         {}, "10.0.0.10");
  EXPECT_EQ(from_other.status, 200u);
}

TEST_F(AccountsSessions, PutMeChangesEmailAndPassword) {
  auto session = setup_admin();
  std::string token = token_of(session);
  auto other = login(kAdminEmail, kAdminPassword);
  create_user(token, "taken@example.com", "password-2");

  auto no_current = send("PUT", "/api/me", json::object{{"newEmail", "new@example.com"}}, token);
  EXPECT_EQ(no_current.status, 400u);
  EXPECT_NE(message(no_current).find("'currentPassword'"), std::string::npos);
  auto wrong = send("PUT", "/api/me",
                    json::object{{"currentPassword", "nope-nope"}, {"newEmail", "n@example.com"}}, token);
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_NE(message(wrong).find("'currentPassword'"), std::string::npos);
  auto taken =
      send("PUT", "/api/me",
           json::object{{"currentPassword", kAdminPassword}, {"newEmail", "TAKEN@example.com"}}, token);
  EXPECT_EQ(taken.status, 409u);
  auto short_pw = send("PUT", "/api/me",
                       json::object{{"currentPassword", kAdminPassword}, {"newPassword", "short"}}, token);
  EXPECT_EQ(short_pw.status, 400u);
  EXPECT_NE(message(short_pw).find("'newPassword'"), std::string::npos);

  auto changed = send("PUT", "/api/me",
                      json::object{{"currentPassword", kAdminPassword},
                                   {"newEmail", "boss@example.com"},
                                   {"newPassword", "brand-new-password"}},
                      token);
  ASSERT_EQ(changed.status, 200u) << changed.body;
  EXPECT_EQ(body_of(changed).at("email").as_string(), "boss@example.com");
  // The password change ends the other session but keeps this one.
  EXPECT_EQ(call("GET", "/api/me", {}, token).status, 200u);
  EXPECT_EQ(call("GET", "/api/me", {}, token_of(other)).status, 401u);
  EXPECT_EQ(send("POST", "/api/auth/login",
                 json::object{{"email", "boss@example.com"}, {"password", kAdminPassword}})
                .status,
            401u);
  EXPECT_FALSE(login("boss@example.com", "brand-new-password").empty());
}

}  // namespace
}  // namespace routerly::admin::testing
