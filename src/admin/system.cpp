// System information and the (disabled) updater: /api/system/*, plus the OAuth test stub.
// Nothing here ever contacts an outside host (SPEC §00 P23).
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "admin/views.hpp"
#include "common/clock.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

constexpr std::string_view kVersion = ROUTERLY_VERSION;

// Stands in for REF's Node.js version: the compiler that built this binary.
std::string runtime_text() {
#if defined(__clang__)
  return "C++ clang " + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__);
#elif defined(__GNUC__)
  return "C++ g++ " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__);
#else
  return "C++";
#endif
}

constexpr std::string_view platform_name() {
#if defined(_WIN32)
  return "win32";
#elif defined(__APPLE__)
  return "darwin";
#else
  return "linux";
#endif
}

std::string channel_of(const config::Snapshot& snap) {
  std::string_view channel = accounts::text(snap.settings, "channel");
  return channel.empty() ? std::string("latest") : std::string(channel);
}

bool in_docker() {
  const char* v = std::getenv("ROUTERLY_DOCKER");
  return v != nullptr && std::string_view(v) == "1";
}

// Whether the request carries a valid session of a user holding the built-in admin role.
// Anything else (no token, an expired one, another role) is simply not an admin here: the
// endpoint stays public and answers without the private fields.
bool signed_in_admin(Context& ctx, const http::Request& req) {
  if (req.bearer_token().empty()) return false;
  auto caller = authenticate(ctx, req);
  return caller && caller->role_id() == "admin";
}

http::Response info(Context& ctx, http::Request& req) {
  int64_t uptime_ms = clock::now_ms() - ctx.started_ms;
  json::object out{{"version", kVersion},
                   {"nodeVersion", runtime_text()},
                   {"platform", platform_name()},
                   {"uptimeSeconds", uptime_ms > 0 ? uptime_ms / 1000 : 0},
                   {"channel", channel_of(*ctx.config.current())},
                   {"isDocker", in_docker()},
                   {"updateInfo", nullptr}};
  // Filesystem paths tell an outsider how the host is laid out: admins only.
  if (signed_in_admin(ctx, req)) {
    std::error_code ec;
    std::filesystem::path home = std::filesystem::absolute(ctx.paths.home, ec);
    if (ec) home = ctx.paths.home;
    out["configDir"] = home.string();
    out["dataDir"] = home.string();
  }
  return http::Response::json(200, out);
}

http::Response update_check(Context& ctx, http::Request& req) {
  auto caller = authenticate(ctx, req);
  if (!caller) return respond(caller.error());
  json::object out{{"available", false},
                   {"currentVersion", kVersion},
                   {"latestVersion", kVersion},
                   {"channel", channel_of(*caller->snap)},
                   {"checkedAt", clock::iso_now()}};
  return http::Response::json(200, out);
}

http::Response releases(Context& ctx, http::Request& req) {
  auto caller = authenticate(ctx, req);
  if (!caller) return respond(caller.error());
  return http::Response::json(200, json::object{{"channels", json::array{"latest", "stable", "develop"}},
                                                {"versions", json::array()}});
}

http::Response update(Context& ctx, http::Request& req) {
  auto caller = authenticate(ctx, req);
  if (!caller) return respond(caller.error());
  // REF checks the literal role id, not a permission (SPEC §3.3).
  if (caller->role_id() != "admin") return respond({ErrorCode::forbidden, "admin only"});
  return respond({ErrorCode::forbidden, "in-app update is not available in this build"});
}

http::Response openai_oauth(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:read");
  if (!caller) return respond(caller.error());
  return http::Response::json(
      200, json::object{{"ok", false}, {"error", "openai-oauth is not supported by this build"}});
}

}  // namespace

void register_system_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/system/info", [&ctx](http::Request& req) { return info(ctx, req); });
  r.add("GET", "/api/system/update-check", [&ctx](http::Request& req) { return update_check(ctx, req); });
  r.add("GET", "/api/system/releases", [&ctx](http::Request& req) { return releases(ctx, req); });
  r.add("POST", "/api/system/update", [&ctx](http::Request& req) { return update(ctx, req); });
  r.add("POST", "/api/test/openai-oauth", [&ctx](http::Request& req) { return openai_oauth(ctx, req); });
}

}  // namespace routerly::admin
