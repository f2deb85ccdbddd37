// Gateway settings: GET/PUT /api/settings (user:write; there is no separate settings permission).
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "config/settings.hpp"
#include "notify/secrets.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

http::Response get_settings(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  return http::Response::json(200, config::masked_settings(caller->snap->settings));
}

http::Response put_settings(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  auto patch = parse_object(req);
  if (!patch) return respond(patch.error());
  // Merged into the stored settings, never the effective ones: runtime overrides
  // (environment, flags) must not become persisted values.
  json::value patch_value(std::move(*patch));
  auto saved = ctx.config.update<bool>([&](config::Draft& d) -> Result<bool> {
    auto merged = config::merge_settings(d.docs().settings, patch_value);
    if (!merged) return std::unexpected(merged.error());
    notify::seal_channel_secrets(*merged, ctx.key_box);  // channel secrets are stored sealed
    d.set_settings(std::move(*merged));
    return true;
  });
  if (!saved) return respond(saved.error());
  return http::Response::json(200, config::masked_settings(ctx.config.current()->settings));
}

}  // namespace

void register_settings_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/settings", [&ctx](http::Request& req) { return get_settings(ctx, req); });
  r.add("PUT", "/api/settings", [&ctx](http::Request& req) { return put_settings(ctx, req); });
}

}  // namespace routerly::admin
