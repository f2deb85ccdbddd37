// GET /api/providers: the built-in catalogue (SPEC §7.10) so clients can prefill model forms
// with the same presets the server applies.
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "providers/catalogue.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

json::object tier_view(const providers::PricingTier& t) {
  json::object o{{"metric", t.metric}, {"above", t.above}, {"input", t.input}, {"output", t.output}};
  if (t.cache) o["cache"] = *t.cache;
  return o;
}

json::object preset_view(const providers::PresetModel& m) {
  json::object o{{"id", m.id}, {"input", m.input}, {"output", m.output}, {"embedding", m.embedding}};
  if (m.cache) o["cache"] = *m.cache;
  if (m.cache_write) o["cacheWrite"] = *m.cache_write;
  if (m.context_window) o["contextWindow"] = *m.context_window;
  if (!m.tiers.empty()) {
    json::array tiers;
    for (const auto& t : m.tiers) tiers.push_back(tier_view(t));
    o["pricingTiers"] = std::move(tiers);
  }
  return o;
}

http::Response list_providers(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "model:read");
  if (!caller) return respond(caller.error());
  json::array out;
  for (const auto& p : providers::catalogue()) {
    json::array models;
    for (const auto& m : p.models) models.push_back(preset_view(m));
    out.push_back(json::object{{"id", p.id}, {"endpoint", p.endpoint}, {"wire", p.wire}, {"models", std::move(models)}});
  }
  return http::Response::json(200, out);
}

}  // namespace

void register_provider_routes(http::Router& r, Context& ctx) {
  r.add("GET", "/api/providers", [&ctx](http::Request& req) { return list_providers(ctx, req); });
}

}  // namespace routerly::admin
