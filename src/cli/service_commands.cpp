// `service status` (health, /api/system/info and the settings) and `service configure`
// (PUT /api/settings with the given keys).
#include <boost/json.hpp>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/http_client.hpp"
#include "cli/output.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct ConfigureFlags {
  std::optional<std::int64_t> port;
  std::string host;
  bool dashboard = true;
  std::string log_level;
  std::optional<std::int64_t> timeout_ms;
  std::string public_url;
};

int run_service_status(const CommandContext& ctx) {
  Api api(ctx.global);
  auto account = api.select();
  if (!account) return report_error(account.error());
  const std::string base = normalise_url((*account)->server_url);
  auto health_reply = http_request("GET", base + "/health", nullptr, "");
  if (!health_reply) return report_error(health_reply.error());
  boost::system::error_code ec;
  json::value health = json::parse(health_reply->body, ec);
  if (ec || !health.is_object())
    health = json::object{{"status", "HTTP " + std::to_string(health_reply->status)}};
  auto info = api.call("GET", "/api/system/info");
  if (!info) return report_error(info.error());
  // Reading the settings needs user:write; without it the rest is still worth showing.
  auto settings = api.call("GET", "/api/settings");
  if (!settings) std::cerr << "warning: settings not shown: " << settings.error().message << '\n';
  const json::value settings_value = settings ? *settings : json::value();

  if (ctx.global.json) {
    print_json(
        json::object{{"serverUrl", base}, {"health", health}, {"info", *info}, {"settings", settings_value}});
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"server", base},
      {"status", field_text(health, "status")},
      {"store", field_text(health, "store")},
      {"version", field_text(*info, "version")},
      {"runtime", field_text(*info, "nodeVersion")},
      {"platform", field_text(*info, "platform")},
      {"uptime s", field_text(*info, "uptimeSeconds")},
      {"config dir", field_text(*info, "configDir")},
      {"data dir", field_text(*info, "dataDir")},
      {"channel", field_text(*info, "channel")},
  };
  if (settings_value.is_object()) {
    const std::pair<const char*, const char*> keys[] = {{"port", "port"},
                                                        {"host", "host"},
                                                        {"dashboard", "dashboardEnabled"},
                                                        {"log level", "logLevel"},
                                                        {"default timeout ms", "defaultTimeoutMs"},
                                                        {"public url", "publicUrl"},
                                                        {"retention days", "retentionDays"}};
    for (const auto& [label, key] : keys) {
      if (settings_value.as_object().contains(key)) rows.push_back({label, field_text(settings_value, key)});
    }
  }
  std::cout << format_table({"field", "value"}, rows);
  return 0;
}

int run_configure(const CommandContext& ctx, const ConfigureFlags& f, bool dashboard_given) {
  json::object patch;
  if (f.port) patch["port"] = *f.port;
  if (!f.host.empty()) patch["host"] = f.host;
  if (dashboard_given) patch["dashboardEnabled"] = f.dashboard;
  if (!f.log_level.empty()) patch["logLevel"] = f.log_level;
  if (f.timeout_ms) patch["defaultTimeoutMs"] = *f.timeout_ms;
  if (!f.public_url.empty()) patch["publicUrl"] = f.public_url;
  if (patch.empty()) {
    return report_error({ErrorCode::validation_error,
                         "nothing to change: give --port, --host, --dashboard/--no-dashboard, --log-level, "
                         "--timeout or --public-url"});
  }
  Api api(ctx.global);
  const json::value body = patch;
  auto reply = api.call("PUT", "/api/settings", &body);
  if (!reply) return report_error(reply.error());
  // Notes go to stderr so that --json output stays parseable.
  if (f.port || !f.host.empty()) {
    std::cerr << "note: the running server ignores port and host; they are stored and apply when it starts "
                 "again (unless --port/--host or ROUTERLY_PORT/ROUTERLY_HOST override them)\n";
  }
  if (!f.log_level.empty()) std::cerr << "note: the log level applies when the server starts again\n";
  if (ctx.global.json) {
    print_json(*reply);
    return 0;
  }
  std::string changed;
  for (const auto& [key, value] : patch) {
    changed += (changed.empty() ? "" : ", ") + std::string(key) + "=" + field_text(*reply, key);
  }
  std::cout << "Updated settings: " << changed << '\n';
  return 0;
}

}  // namespace

void register_service_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx) {
  auto* service = app.add_subcommand("service", "Show and change the server's settings");
  service->require_subcommand(1);

  service->add_subcommand("status", "Health, version, directories and settings of the server")
      ->callback([ctx] { ctx->action = [ctx] { return run_service_status(*ctx); }; });

  auto f = std::make_shared<ConfigureFlags>();
  auto* configure = service->add_subcommand("configure", "Change server settings (only the given ones)");
  configure->add_option("--port", f->port, "Listen port (applies at the next start)")
      ->check(CLI::Range(1, 65535));
  configure->add_option("--host", f->host, "Listen address (applies at the next start)");
  configure->add_flag("--dashboard,!--no-dashboard", f->dashboard, "Serve the dashboard or not");
  configure->add_option("--log-level", f->log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  configure->add_option("--timeout", f->timeout_ms, "Default request timeout in milliseconds (1000-3600000)");
  configure->add_option("--public-url", f->public_url, "Public base URL shown to users");
  configure->callback([ctx, f, configure] {
    const bool dashboard_given = configure->get_option("--dashboard")->count() > 0;
    ctx->action = [ctx, f, dashboard_given] { return run_configure(*ctx, *f, dashboard_given); };
  });
}

}  // namespace routerly::cli
