#pragma once
// Prometheus metrics (SPEC §00 P24). The metric list is declared once, as data, in
// registry.cpp. Updates are lock-free on the hot path where possible; render() produces
// the text exposition format (0.0.4) for GET /metrics.
//
// Label conventions: `project` is the project's slug (its id when it has none), `model` the
// Routerly model id, `provider` the provider id, `outcome` the usage outcome. Label values are
// escaped on output; callers pass raw strings.
#include <cstdint>
#include <string>
#include <string_view>

#include "store/usage_rows.hpp"

namespace routerly::metrics {

class Registry {
 public:
  // The process-wide registry served by GET /metrics.
  static Registry& instance();
  // Separate registries are for tests.
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // One HTTP request answered by the server (every route).
  void observe_http(std::string_view route_group, unsigned status, double seconds);
  // One proxied call finished (from the usage stream): requests, latency histogram, tokens,
  // cost, errors by project/model/provider/outcome.
  void observe_usage(const store::UsageRow& row);
  // One failed upstream attempt; kind: "timeout", "network", "http_<status>", "malformed",
  // "cancelled" (the caller's vocabulary; keep it small, it is a label).
  void upstream_error(std::string_view provider, std::string_view kind);
  // One request refused by a budget (pass the project label described above).
  void budget_block(std::string_view project);
  void stream_started();
  void stream_finished();
  // The usage writer (usage/writer.hpp): records entering (+) and leaving (-) its memory
  // queue, records appended to its spool, records lost because the spool failed too.
  void usage_queue_changed(int64_t delta);
  void usage_spooled(uint64_t rows);
  void usage_dropped(uint64_t rows);

  std::string render() const;

 private:
  struct State;
  State* state_;
};

}  // namespace routerly::metrics
