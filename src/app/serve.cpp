#include "app/serve.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "admin/context.hpp"
#include "admin/routes.hpp"
#include "app/logging.hpp"
#include "app/metrics_listener.hpp"
#include "app/site_routes.hpp"
#include "auth/login_throttle.hpp"
#include "budget/journal.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "config/paths.hpp"
#include "config/settings.hpp"
#include "config/snapshot.hpp"
#include "gateway/gateway.hpp"
#include "gateway/metrics_route.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "metrics/registry.hpp"
#include "notify/notifier.hpp"
#include "store/store.hpp"
#include "usage/retention.hpp"
#include "usage/writer.hpp"

namespace routerly::app {

namespace json = boost::json;

namespace {

// ROUTERLY_IO_THREADS: how many I/O threads (each with its own io_context) serve connections;
// unset, 0 or unreadable = one per core but one (at least one). A start-up setting for operators sharing cores with
// other processes.
unsigned io_threads_from_env() {
  const char* raw = std::getenv("ROUTERLY_IO_THREADS");
  if (raw == nullptr || *raw == '\0') return 0;
  char* end = nullptr;
  const unsigned long n = std::strtoul(raw, &end, 10);
  if (*end != '\0' || n > 256) {
    spdlog::warn("ROUTERLY_IO_THREADS='{}' is not a number from 0 to 256; using the default", raw);
    return 0;
  }
  return static_cast<unsigned>(n);
}

int startup_failure(std::string_view what, const Error& error) {
  std::cerr << "routerly: " << what << ": " << error.message << "\n";
  return 1;
}

std::string string_setting(const json::object& settings, std::string_view key, std::string fallback) {
  if (const auto* v = settings.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  return fallback;
}

int64_t int_setting(const json::object& settings, std::string_view key, int64_t fallback) {
  if (const auto* v = settings.if_contains(key); v && v->is_int64()) return v->as_int64();
  return fallback;
}

// A numeric setting of the current snapshot, read each time it is needed (a PUT /api/settings
// applies to the next request). Every numeric setting has a default (config::default_settings),
// so the fallback only covers a store edited by hand into a wrong type.
int64_t live_int(const config::ConfigService& config, std::string_view key) {
  if (const auto* v = config.current()->settings.if_contains(key); v && v->is_int64()) return v->as_int64();
  return int_setting(config::default_settings(), key, 0);
}

bool origin_allowed(const json::object& settings, std::string_view origin) {
  const auto* list = settings.if_contains("corsOrigins");
  if (!list || !list->is_array()) return true;
  for (const auto& entry : list->as_array()) {
    if (!entry.is_string()) continue;
    if (entry.as_string() == "*" || entry.as_string() == origin) return true;
  }
  return false;
}

// A bounded label for request metrics: never a raw path (ids, model names, pass-through paths).
std::string_view route_group(std::string_view path) {
  for (std::string_view known : {"/v1/chat/completions", "/v1/responses", "/v1/messages/count_tokens", "/v1/messages",
                                 "/v1/models", "/health", "/metrics"})
    if (path.starts_with(known)) return known;
  if (path.starts_with("/projects/")) return "/projects/*/v1";
  if (path.starts_with("/api/")) return "/api";
  if (path.starts_with("/dashboard") || path == "/") return "/dashboard";
  return "passthrough";
}

void print_banner(const json::object& settings, const std::string& host, uint16_t port, bool needs_setup) {
  std::string shown_host = host == "0.0.0.0" || host == "::" ? "localhost" : host;
  std::string base = "http://" + shown_host + ":" + std::to_string(port);
  std::cout << "Routerly " << ROUTERLY_VERSION << " listening on " << base << "\n"
            << "  LLM proxy:      " << base << "/v1   (Authorization: Bearer sk-rt-…)\n"
            << "  Management API: " << base << "/api\n"
            << "  Dashboard:      " << base << "/dashboard/\n";
  if (needs_setup)
    std::cout << "  First start: open the dashboard to create the admin account, or\n"
              << "    curl -X POST " << base
              << "/api/setup/first-admin -H 'content-type: application/json' \\\n"
              << "      -d '{\"email\":\"admin@example.com\",\"password\":\"choose-a-long-one\"}'\n";
  (void)settings;
  std::cout.flush();
}

}  // namespace

int serve(const ServeFlags& flags) {
  crypto::initialize();
  const int64_t started_ms = clock::now_ms();

  auto paths = config::resolve_paths();
  if (!paths) return startup_failure("cannot prepare ROUTERLY_HOME", paths.error());
  auto secret = config::load_or_create_secret(paths->secret);
  if (!secret) return startup_failure("cannot read the secret file", secret.error());
  // PostgreSQL when ROUTERLY_DATABASE_URL names one, else the SQLite file in the home.
  const char* database_url = std::getenv("ROUTERLY_DATABASE_URL");
  auto store = store::open_store(database_url != nullptr ? database_url : "", paths->database);
  if (!store) return startup_failure("cannot open the store", store.error());

  auto overrides = config::overrides_from_env();
  if (!overrides) return startup_failure("invalid environment", overrides.error());
  if (flags.host) overrides->host = flags.host;
  if (flags.port) overrides->port = flags.port;

  config::ConfigService config(**store, [o = *overrides](json::object stored) {
    return config::apply_overrides(config::with_defaults(std::move(stored)), o);
  });
  if (auto loaded = config.load(); !loaded) return startup_failure("cannot load the configuration", loaded.error());

  const json::object& settings = config.current()->settings;
  configure_logging(string_setting(settings, "logLevel", "info"));

  crypto::SecretBox key_box(crypto::derive_key(*secret, "provider-keys"));
  auth::LoginThrottle throttle;
  // Budget events and test sends; outlives the server and the gateway (declared before them).
  notify::Notifier notifier(config, &key_box);
  admin::Context admin_ctx{config, **store, key_box, crypto::derive_key(*secret, "jwt"), throttle, *paths, started_ms};
  admin_ctx.notifier = &notifier;
  SiteContext site_ctx{config, **store, paths->dashboard};

  auto router = std::make_shared<http::Router>();
  register_site_routes(*router, site_ctx);
  admin::register_routes(*router, admin_ctx);

  // The LLM proxy. The usage writer outlives the server: records of in-flight requests are
  // flushed after run() returns. Its spool holds what the store cannot take in time; what an
  // earlier run left there is replayed before the gateway loads its state from the store.
  auto usage_spool = usage::Spool::open(paths->home / "usage-spool");
  if (!usage_spool) return startup_failure("cannot open the usage spool", usage_spool.error());
  usage::WriterOptions writer_options;
  writer_options.queue_max = [&config] { return static_cast<std::size_t>(live_int(config, "usageQueueMax")); };
  writer_options.sync = [&config] {
    const json::value* mode = config.current()->settings.if_contains("usageDurability");
    return mode != nullptr && mode->is_string() && mode->get_string() == "sync";
  };
  writer_options.metrics = &metrics::Registry::instance();
  usage::Writer usage_writer(**store, std::move(*usage_spool), std::move(writer_options));
  usage::Retention usage_retention(**store, [&config]() -> std::optional<int64_t> {
    const json::value* days = config.current()->settings.if_contains("retentionDays");
    return days != nullptr && days->is_int64() ? std::optional(days->as_int64()) : std::nullopt;
  });  // issue 5: purge at start, then hourly
  // Its idle keep-alive connections belong to the server's io_contexts (closed when those shut
  // down), so where it is declared does not matter for a safe teardown.
  http::HttpClient http_client;
  gateway::Gateway gateway({config, **store, key_box, usage_writer, http_client, notifier});
  gateway.register_routes(*router);

  // /metrics: on its own listener when ROUTERLY_METRICS_LISTEN names one, else on the main port.
  auto metrics_listen = metrics_listen_from_env();
  if (!metrics_listen) return startup_failure("invalid environment", metrics_listen.error());
  http::BlockingHandler metrics_route = [](http::Request& request) { return gateway::metrics_response(request); };
  if (!*metrics_listen) router->add("GET", "/metrics", metrics_route);

  http::ServerOptions options;
  options.host = string_setting(settings, "host", "0.0.0.0");
  options.port = static_cast<uint16_t>(int_setting(settings, "port", 3000));
  options.max_body_bytes = [&config] { return static_cast<std::size_t>(live_int(config, "maxBodyBytes")); };
  options.shutdown_grace = [&config] { return std::chrono::milliseconds(live_int(config, "shutdownGraceMs")); };
  options.io_threads = io_threads_from_env();
  options.on_request = [](std::string_view, std::string_view path, unsigned status, double seconds) {
    metrics::Registry::instance().observe_http(route_group(path), status, seconds);
  };

  http::Server server(
      options, router,
      // Dashboard files, else the pass-through (which also answers reserved paths with 404).
      [&gateway, site = http::as_async([&site_ctx](http::Request& req) { return fallback(site_ctx, req); })](
          http::Exchange& exchange) {
        if (exchange.request().path.starts_with("/dashboard")) return site(exchange);
        return gateway.passthrough(exchange);
      },
      [&config](std::string_view origin) { return origin_allowed(config.current()->settings, origin); });
  // Budget counters, loaded before the first request. Declared after the server so that it goes
  // first: its last writes may still wake handlers waiting on the server's io_contexts.
  auto budget_journal = budget::CounterJournal::open(**store, gateway.ledger());
  if (!budget_journal) return startup_failure("cannot load the budget counters", budget_journal.error());

  auto port = server.listen();
  if (!port) return startup_failure("cannot listen", port.error());
  std::unique_ptr<MetricsListener> metrics_listener;  // stopped and joined before the server goes
  if (*metrics_listen) {
    auto started = MetricsListener::start(**metrics_listen, metrics_route);
    if (!started) return startup_failure("cannot listen for metrics", started.error());
    metrics_listener = std::move(*started);
    spdlog::info("metrics on {}:{}/metrics", (*metrics_listen)->host, metrics_listener->port());
  }

  print_banner(settings, options.host, *port, admin::needs_setup(config.current()->docs));
  spdlog::info("routerly {} serving on {}:{} (home {})", ROUTERLY_VERSION, options.host, *port, paths->home.string());

  server.run();
  usage_writer.flush();
  spdlog::info("routerly stopped");
  spdlog::default_logger()->flush();
  return 0;
}

}  // namespace routerly::app
