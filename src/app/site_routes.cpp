#include "app/site_routes.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "common/clock.hpp"

namespace routerly::app {

namespace json = boost::json;

namespace {

constexpr std::string_view kPlaceholderPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Routerly</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>Routerly</h1>
<p>The gateway is running. The web dashboard files are not installed in this build.</p>
<p>First start: create the admin account with
<code>POST /api/setup/first-admin {"email","password"}</code>, then manage models and projects through
the management API (<code>/api/*</code>) or the <code>routerly</code> CLI.</p>
<p>Health: <a href="/health">/health</a></p></body></html>
)";

std::string_view content_type_for(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

http::Response serve_dashboard_file(SiteContext& ctx, const http::Request& req) {
  const auto& settings = ctx.config.current()->settings;
  if (const auto* enabled = settings.if_contains("dashboardEnabled"); enabled && enabled->is_bool() && !enabled->as_bool())
    return http::Response::error(ErrorCode::not_found, "the dashboard is disabled (settings.dashboardEnabled)");

  std::string relative = http::percent_decode(std::string_view(req.path).substr(std::string_view("/dashboard/").size()));
  const auto index = ctx.dashboard_dir / "index.html";
  if (!std::filesystem::exists(index)) {
    auto r = http::Response::text(200, std::string(kPlaceholderPage), "text/html; charset=utf-8");
    r.set_header("cache-control", "no-cache");
    return r;
  }
  // Static file when the (normalised) path stays inside the bundle; otherwise the SPA's index.
  std::filesystem::path candidate = (ctx.dashboard_dir / relative).lexically_normal();
  const auto root = ctx.dashboard_dir.lexically_normal().string();
  bool inside = candidate.string().rfind(root, 0) == 0 && relative.find("..") == std::string::npos;
  if (inside && !relative.empty() && std::filesystem::is_regular_file(candidate)) {
    if (auto body = read_file(candidate)) {
      auto r = http::Response::text(200, std::move(*body), std::string(content_type_for(candidate)));
      // Vite puts content-hashed files under assets/: safe to cache for a year.
      r.set_header("cache-control", relative.rfind("assets/", 0) == 0 ? "public, max-age=31536000, immutable"
                                                                      : "no-cache");
      return r;
    }
  }
  auto body = read_file(index);
  if (!body) return http::Response::error(ErrorCode::internal_error, "cannot read the dashboard index");
  auto r = http::Response::text(200, std::move(*body), "text/html; charset=utf-8");
  r.set_header("cache-control", "no-cache");
  return r;
}

// The dashboard keeps its session in the browser, so its pages may run only their own
// scripts and talk only to this origin; no other site may frame them.
void harden(http::Response& r) {
  r.set_header("content-security-policy",
               "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
               "frame-ancestors 'none'; form-action 'self'");
  r.set_header("x-content-type-options", "nosniff");
  r.set_header("referrer-policy", "same-origin");
}

http::Response serve_dashboard(SiteContext& ctx, const http::Request& req) {
  auto response = serve_dashboard_file(ctx, req);
  harden(response);
  return response;
}

}  // namespace

void register_site_routes(http::Router& router, SiteContext& ctx) {
  router.add("GET", "/health", [&ctx](http::Request&) {
    // The store probe never fails the probe itself: load balancers keep the instance while
    // `store` tells operators that writes are failing.
    bool writable = ctx.store.check_writable().has_value();
    json::object body{{"status", "ok"},
                      {"version", ROUTERLY_VERSION},
                      {"timestamp", clock::iso_now()},
                      {"store", writable ? "ok" : "error"}};
    return http::Response::json(200, body);
  });
  router.add("GET", "/", [](http::Request&) { return http::Response::redirect("/dashboard/"); });
  // The router folds a trailing slash, so "/dashboard" and "/dashboard/" both land here.
  router.add("GET", "/dashboard", [&ctx](http::Request& req) {
    return req.path == "/dashboard" ? http::Response::redirect("/dashboard/") : serve_dashboard(ctx, req);
  });
}

http::Response fallback(SiteContext& ctx, http::Request& req) {
  if ((req.method == "GET" || req.method == "HEAD") && req.path.rfind("/dashboard/", 0) == 0)
    return serve_dashboard(ctx, req);
  return http::Response::error(ErrorCode::not_found, "route " + req.method + " " + req.path + " not found");
}

}  // namespace routerly::app
