#pragma once
// Shared fixture of the admin unit tests: a real Context over a temporary SQLite store with
// every /api route registered on a Router. Handlers are called directly with crafted
// requests (no sockets). Derive from AdminFixture and use TEST_F.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "admin/context.hpp"
#include "admin/routes.hpp"
#include "support/recording_exchange.hpp"
#include "auth/login_throttle.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "config/paths.hpp"
#include "config/settings.hpp"
#include "config/snapshot.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace routerly::admin::testing {

namespace json = boost::json;

inline constexpr const char* kAdminEmail = "admin@example.com";
inline constexpr const char* kAdminPassword = "admin-password-1";

class AdminFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::initialize();
    std::string pattern = (std::filesystem::temp_directory_path() / "routerly-admin-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    paths_.home = pattern;
    paths_.database = paths_.home / "routerly.db";
    paths_.secret = paths_.home / "secret";
    auto opened = store::open_sqlite(paths_.database);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    config_ = std::make_unique<config::ConfigService>(
        *store_, [](json::object stored) { return config::with_defaults(std::move(stored)); });
    auto loaded = config_->load();
    ASSERT_TRUE(loaded) << loaded.error().message;
    ctx_ = std::make_unique<Context>(
        Context{*config_, *store_, key_box_, std::string(32, 'j'), throttle_, paths_, clock::now_ms()});
    register_routes(router_, *ctx_);
  }

  void TearDown() override {
    ctx_.reset();
    config_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(paths_.home, ec);
  }

  // Dispatches like the server: 404/405 when nothing matches, else the matched handler.
  http::Response call(std::string method, std::string target, std::string body = {}, std::string token = {},
                      std::string remote = "127.0.0.1") {
    http::Request req;
    req.method = std::move(method);
    req.target = target;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.body = std::move(body);
    req.remote_address = std::move(remote);
    if (!req.body.empty()) req.headers.push_back({"content-type", "application/json"});
    if (!token.empty()) req.headers.push_back({"authorization", "Bearer " + token});
    http::Match m = router_.match(req.method, req.path);
    if (m.status == http::MatchStatus::not_found)
      return http::Response::error(ErrorCode::not_found, "no route");
    if (m.status == http::MatchStatus::method_not_allowed)
      return http::Response::error(ErrorCode::method_not_allowed, "method not allowed");
    req.params = m.params;
    if (m.kind == http::HandlerKind::blocking) return (*m.handler)(req);
    routerly::testing::RecordingExchange exchange(req);
    routerly::testing::run_async(*m.async_handler, exchange);
    last_exchange_streamed_ = exchange.streamed;
    last_exchange_complete_ = exchange.complete;
    return exchange.response();
  }
  // How the last async route answered (streamed body; reached its end).
  bool last_exchange_streamed_ = false;
  bool last_exchange_complete_ = false;
  // Same with a JSON body.
  http::Response send(std::string method, std::string target, const json::value& body,
                      std::string token = {}) {
    return call(std::move(method), std::move(target), json::serialize(body), std::move(token));
  }

  static json::value body_of(const http::Response& r) {
    return r.body.empty() ? json::value() : json::parse(r.body);
  }
  static std::string error_code(const http::Response& r) {
    auto v = body_of(r);
    return v.is_object() && v.as_object().contains("error") ? std::string(v.at("error").as_string()) : "";
  }
  static std::string message(const http::Response& r) {
    auto v = body_of(r);
    return v.is_object() && v.as_object().contains("message") ? std::string(v.at("message").as_string()) : "";
  }

  // POST /api/setup/first-admin; returns the session object (token, refreshToken, user).
  json::object setup_admin(const std::string& email = kAdminEmail,
                           const std::string& password = kAdminPassword) {
    auto r = send("POST", "/api/setup/first-admin", json::object{{"email", email}, {"password", password}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return body_of(r).as_object();
  }
  // POST /api/auth/login; returns the session object (empty when it failed).
  json::object login(const std::string& email, const std::string& password) {
    auto r = send("POST", "/api/auth/login", json::object{{"email", email}, {"password", password}});
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.status == 200 ? body_of(r).as_object() : json::object();
  }
  static std::string token_of(const json::object& session) {
    return std::string(session.at("token").as_string());
  }
  // POST /api/users as `admin_token`; returns the user view.
  json::object create_user(const std::string& admin_token, const std::string& email,
                           const std::string& password, const std::string& role = "viewer") {
    auto r = send("POST", "/api/users",
                  json::object{{"email", email}, {"password", password}, {"roleId", role}}, admin_token);
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201 ? body_of(r).as_object() : json::object();
  }
  // Inserts a document straight into the configuration (bypassing the handlers).
  void put_doc(store::Collection c, json::object doc) {
    auto ok = config_->update<bool>([&](config::Draft& d) -> Result<bool> {
      d.upsert(c, doc);
      return true;
    });
    ASSERT_TRUE(ok) << ok.error().message;
  }

  config::Paths paths_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<config::ConfigService> config_;
  crypto::SecretBox key_box_{std::string(32, 'k')};
  // The production rules with short delays, so that slowed-down logins do not slow the tests.
  static auth::ThrottleLimits test_limits() {
    auth::ThrottleLimits limits;
    limits.first_delay = std::chrono::milliseconds(1);
    limits.max_delay = std::chrono::milliseconds(4);
    return limits;
  }
  auth::LoginThrottle throttle_{test_limits()};
  std::unique_ptr<Context> ctx_;
  http::Router router_;
};

}  // namespace routerly::admin::testing
