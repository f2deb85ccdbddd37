#pragma once
// Routes outside /api and /v1: /health, the / and /dashboard redirects and the dashboard files.
#include <filesystem>

#include "config/snapshot.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace routerly::app {

struct SiteContext {
  config::ConfigService& config;
  store::Store& store;
  std::filesystem::path dashboard_dir;
};

void register_site_routes(http::Router& router, SiteContext& ctx);

// What answers when no route matched: dashboard files under /dashboard/, else 404 not_found.
// (The proxy issue turns the remaining paths into the pass-through.)
http::Response fallback(SiteContext& ctx, http::Request& req);

}  // namespace routerly::app
