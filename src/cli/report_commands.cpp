#include <boost/json.hpp>
#include <iostream>

#include "cli/http_client.hpp"
#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "cli/project_access.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct ReportFlags {
  int limit = 20;
  std::string period;  // empty: the command's default
  std::string from;
  std::string to;
  std::string project;
  std::string by = "model";  // report usage: model, project or day
  std::string cursor;         // report calls: resume after this record (a nextCursor)
};

std::string usage_query(const ReportFlags& f, int page_size, std::string_view default_period) {
  // --from/--to without --period mean a custom range (the server ignores them otherwise).
  const bool range = !f.from.empty() || !f.to.empty();
  const std::string period = !f.period.empty() ? f.period : range ? "custom" : std::string(default_period);
  std::string q = "/api/usage?period=" + url_encode(period) + "&pageSize=" + std::to_string(page_size);
  if (!f.from.empty()) q += "&from=" + url_encode(f.from);
  if (!f.to.empty()) q += "&to=" + url_encode(f.to);
  if (!f.project.empty()) q += "&project=" + url_encode(f.project);
  return q;
}

// Usage of a deleted project is kept, so an unknown --project is not an error; a warning
// still tells a typo from a quiet project.
void warn_unknown_project(Api& api, const ReportFlags& f) {
  if (f.project.empty()) return;
  if (auto p = fetch_project(api, f.project); !p) {
    std::cerr << "warning: no current project '" << f.project << "' (" << p.error().message
              << "); showing whatever usage is recorded under that name\n";
  }
}

const json::value* member(const json::value& v, std::string_view key) {
  return v.is_object() ? v.as_object().if_contains(key) : nullptr;
}

int run_calls(const CommandContext& ctx, const ReportFlags& f) {
  Api api(ctx.global);
  warn_unknown_project(api, f);
  std::string query = usage_query(f, f.limit, "all");
  if (!f.cursor.empty()) query += "&cursor=" + url_encode(f.cursor);
  auto reply = api.call("GET", query);
  if (!reply) return report_error(reply.error());
  const json::value* records = member(*reply, "records");
  json::array list = records && records->is_array() ? records->as_array() : json::array();
  // Where the next page starts, on stderr so that the listing itself stays parseable.
  if (const json::value* next = member(*reply, "nextCursor"); next && next->is_string())
    std::cerr << "more: --cursor " << next->as_string().c_str() << "\n";
  if (ctx.global.json) {
    print_json(list);
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : list) {
    const std::string project = field_text(r, "projectSlug");
    rows.push_back({field_text(r, "timestamp"), project.empty() ? field_text(r, "projectId") : project,
                    field_text(r, "modelId"), field_text(r, "outcome"),
                    field_text(r, "inputTokens") + "/" + field_text(r, "outputTokens"), field_text(r, "cost"),
                    field_text(r, "latencyMs")});
  }
  std::cout << format_table(
      {"time", "project", "model", "outcome", "tokens in/out", "cost usd", "latency ms"}, rows);
  return 0;
}

// The --by breakdown of a /api/usage reply: its JSON key and table.
struct Breakdown {
  std::string key;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

Breakdown usage_breakdown(const json::value& reply, const std::string& by) {
  Breakdown out;
  auto counts = [](const json::value& v) {
    return std::vector<std::string>{field_text(v, "calls"), field_text(v, "errors"),
                                    field_text(v, "inputTokens"), field_text(v, "outputTokens"),
                                    field_text(v, "cost")};
  };
  auto with = [&](std::string first, const json::value& v) {
    std::vector<std::string> row{std::move(first)};
    for (auto& c : counts(v)) row.push_back(std::move(c));
    out.rows.push_back(std::move(row));
  };
  const std::vector<std::string> tail{"calls", "errors", "input tokens", "output tokens", "cost usd"};
  if (by == "day") {
    out.key = "series";
    out.headers = {"day"};
    if (const auto* series = member(reply, "series"); series && series->is_array())
      for (const auto& point : series->as_array()) with(field_text(point, "bucket"), point);
  } else if (by == "project") {
    out.key = "byProject";
    out.headers = {"project"};
    if (const auto* by_project = member(reply, "byProject"); by_project && by_project->is_object()) {
      for (const auto& [id, v] : by_project->as_object()) {
        const std::string slug = field_text(v, "slug");
        with(slug.empty() ? std::string(id) : slug, v);
      }
    }
  } else {
    out.key = "byModel";
    out.headers = {"model"};
    if (const auto* by_model = member(reply, "byModel"); by_model && by_model->is_object())
      for (const auto& [model, v] : by_model->as_object()) with(std::string(model), v);
  }
  out.headers.insert(out.headers.end(), tail.begin(), tail.end());
  return out;
}

int run_usage(const CommandContext& ctx, const ReportFlags& f) {
  Api api(ctx.global);
  warn_unknown_project(api, f);
  std::string query = usage_query(f, 1, "monthly");
  if (f.by == "day") query += "&bucket=day";
  auto reply = api.call("GET", query);
  if (!reply) return report_error(reply.error());
  const Breakdown breakdown = usage_breakdown(*reply, f.by);
  if (ctx.global.json) {
    json::object out{{"by", f.by}};
    for (const std::string& key : {std::string("summary"), breakdown.key}) {
      if (const auto* v = member(*reply, key)) out[key] = *v;
    }
    print_json(out);
    return 0;
  }
  const json::value empty = json::object();
  const json::value* summary = member(*reply, "summary");
  const json::value& s = summary ? *summary : empty;
  std::cout << format_table({"calls", "success", "errors", "cost usd"},
                            {{field_text(s, "totalCalls"), field_text(s, "successCalls"),
                              field_text(s, "errorCalls"), field_text(s, "totalCost")}});
  std::cout << '\n' << format_table(breakdown.headers, breakdown.rows);
  return 0;
}

int run_status(const CommandContext& ctx) {
  Api api(ctx.global);
  auto account = api.select();
  if (!account) return report_error(account.error());
  const std::string base = normalise_url((*account)->server_url);
  auto health = http_request("GET", base + "/health", nullptr, "");
  if (!health) return report_error(health.error());
  boost::system::error_code ec;
  json::value h = json::parse(health->body, ec);
  if (ec) h = json::object();
  auto me = api.call("GET", "/api/me");
  if (!me) return report_error(me.error());
  if (ctx.global.json) {
    print_json(json::object{{"serverUrl", base}, {"alias", (*account)->alias}, {"health", h}, {"user", *me}});
    return 0;
  }
  std::cout << format_table({"server", "status", "version", "store", "user", "role"},
                            {{base, field_text(h, "status"), field_text(h, "version"), field_text(h, "store"),
                              field_text(*me, "email"), field_text(*me, "role")}});
  return 0;
}

}  // namespace

void register_report_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx) {
  app.add_subcommand("status", "Show the server's health and the logged-in user")->callback([ctx] {
    ctx->action = [ctx] { return run_status(*ctx); };
  });

  auto* report = app.add_subcommand("report", "Usage reports");
  report->require_subcommand(1);
  auto f = std::make_shared<ReportFlags>();
  auto add_filters = [f](CLI::App* cmd) {
    cmd->add_option(
           "--period", f->period,
           "daily, weekly, monthly, all or custom (with --from/--to); calls default to all, usage to monthly")
        ->check(CLI::IsMember({"daily", "weekly", "monthly", "all", "custom"}));
    cmd->add_option("--from", f->from, "Start date or instant (custom period)");
    cmd->add_option("--to", f->to, "End date or instant (custom period)");
    cmd->add_option("--project", f->project, "Project slug or id");
  };
  auto* calls = report->add_subcommand("calls", "Recent calls, newest first");
  calls->add_option("--limit", f->limit, "How many records (1-200)")->check(CLI::Range(1, 200));
  calls->add_option("--cursor", f->cursor, "Continue after an earlier listing (the cursor it printed as 'more:')");
  add_filters(calls);
  calls->callback([ctx, f] { ctx->action = [ctx, f] { return run_calls(*ctx, *f); }; });
  auto* usage = report->add_subcommand("usage", "Totals and a breakdown by model, project or day");
  add_filters(usage);
  usage->add_option("--by", f->by, "Breakdown: model (default), project or day")
      ->check(CLI::IsMember({"model", "project", "day"}));
  usage->callback([ctx, f] { ctx->action = [ctx, f] { return run_usage(*ctx, *f); }; });
}

}  // namespace routerly::cli
