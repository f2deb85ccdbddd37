// The metric table (SPEC §00 P24) and the events that feed it.
#include "metrics/registry.hpp"

#include <string>

#include "metrics/family.hpp"

#ifndef ROUTERLY_VERSION
#define ROUTERLY_VERSION "0.0.0"
#endif

namespace routerly::metrics {
namespace {

// Seconds. HTTP answers of the gateway itself are fast; upstream calls are slow.
const std::vector<double> kHttpBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
const std::vector<double> kUpstreamBuckets = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
const std::vector<double> kTtftBuckets = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

}  // namespace

struct Registry::State {
  // The whole metric list, declared once. Render order = declaration order.
  Family http_requests{{"routerly_http_requests_total",
                        "HTTP requests answered, by route group and status.",
                        Type::counter,
                        {"route", "status"},
                        {}}};
  Family http_duration{{"routerly_http_request_duration_seconds",
                        "Time to answer an HTTP request.",
                        Type::histogram,
                        {"route"},
                        kHttpBuckets}};
  Family proxy_requests{{"routerly_proxy_requests_total",
                         "Proxied LLM calls, by outcome.",
                         Type::counter,
                         {"project", "model", "provider", "outcome"},
                         {}}};
  Family proxy_latency{{"routerly_proxy_latency_seconds",
                        "Duration of proxied upstream calls.",
                        Type::histogram,
                        {"provider"},
                        kUpstreamBuckets}};
  Family proxy_ttft{{"routerly_proxy_ttft_seconds",
                     "Time to the first upstream byte of proxied calls.",
                     Type::histogram,
                     {"provider"},
                     kTtftBuckets}};
  Family tokens{{"routerly_tokens_total",
                 "Tokens of proxied calls (direction: input, output, cached, cache_creation).",
                 Type::counter,
                 {"project", "model", "direction"},
                 {}}};
  Family cost{
      {"routerly_cost_usd_total", "Cost of proxied calls in USD.", Type::counter, {"project", "model"}, {}}};
  Family upstream_errors{{"routerly_upstream_errors_total",
                          "Failed upstream attempts, by kind.",
                          Type::counter,
                          {"provider", "kind"},
                          {}}};
  Family budget_blocks{
      {"routerly_budget_blocks_total", "Requests refused by a budget.", Type::counter, {"project"}, {}}};
  Family streams{{"routerly_streams_in_flight", "Streaming responses currently open.", Type::gauge, {}, {}}};
  Family usage_queue{{"routerly_usage_queue_depth",
                      "Usage records waiting in memory to be written to the store or the spool.",
                      Type::gauge,
                      {},
                      {}}};
  Family usage_spooled{{"routerly_usage_spooled_total",
                        "Usage records written to the spool because the store could not take them in time.",
                        Type::counter,
                        {},
                        {}}};
  Family usage_dropped{{"routerly_usage_dropped_total",
                        "Usage records lost: the store and the spool both failed (e.g. a full disk).",
                        Type::counter,
                        {},
                        {}}};
  Family build_info{{"routerly_build_info", "Build information; always 1.", Type::gauge, {"version"}, {}}};

  const Family* all[14] = {&http_requests, &http_duration, &proxy_requests, &proxy_latency, &proxy_ttft,
                           &tokens,        &cost,          &upstream_errors, &budget_blocks, &streams,
                           &usage_queue,   &usage_spooled, &usage_dropped,   &build_info};

  State() {
    streams.add({}, 0);  // present (0) before the first stream
    usage_queue.add({}, 0);
    usage_spooled.add({}, 0);
    usage_dropped.add({}, 0);
    build_info.add({ROUTERLY_VERSION}, 1);
  }
};

Registry& Registry::instance() {
  static Registry* registry = new Registry();  // never destroyed: threads may report until exit
  return *registry;
}

Registry::Registry() : state_(new State()) {}
Registry::~Registry() {
  delete state_;
}

void Registry::observe_http(std::string_view route_group, unsigned status, double seconds) {
  state_->http_requests.add({route_group, std::to_string(status)}, 1);
  state_->http_duration.observe({route_group}, seconds);
}

void Registry::observe_usage(const store::UsageRow& row) {
  std::string_view project = row.project_slug.empty() ? row.project_id : row.project_slug;
  State& s = *state_;
  s.proxy_requests.add({project, row.model_id, row.provider, row.outcome}, 1);
  if (row.outcome != "budget_exceeded") {
    s.proxy_latency.observe({row.provider}, static_cast<double>(row.latency_ms) / 1000.0);
    if (row.ttft_ms) s.proxy_ttft.observe({row.provider}, static_cast<double>(*row.ttft_ms) / 1000.0);
  }
  struct Direction {
    std::string_view name;
    int64_t count;
  };
  for (const Direction& d : {Direction{"input", row.input_tokens}, Direction{"output", row.output_tokens},
                             Direction{"cached", row.cached_input_tokens},
                             Direction{"cache_creation", row.cache_creation_input_tokens}}) {
    if (d.count > 0) s.tokens.add({project, row.model_id, d.name}, static_cast<double>(d.count));
  }
  if (row.cost > 0) s.cost.add({project, row.model_id}, row.cost);
}

void Registry::upstream_error(std::string_view provider, std::string_view kind) {
  state_->upstream_errors.add({provider, kind}, 1);
}

void Registry::budget_block(std::string_view project) {
  state_->budget_blocks.add({project}, 1);
}

void Registry::stream_started() {
  state_->streams.add({}, 1);
}
void Registry::stream_finished() {
  state_->streams.add({}, -1);
}

void Registry::usage_queue_changed(int64_t delta) {
  state_->usage_queue.add({}, static_cast<double>(delta));
}
void Registry::usage_spooled(uint64_t rows) {
  state_->usage_spooled.add({}, static_cast<double>(rows));
}
void Registry::usage_dropped(uint64_t rows) {
  state_->usage_dropped.add({}, static_cast<double>(rows));
}

std::string Registry::render() const {
  std::string out;
  out.reserve(4096);
  for (const Family* f : state_->all) f->render(out);
  return out;
}

}  // namespace routerly::metrics
