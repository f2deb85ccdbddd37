#pragma once
// ROUTERLY_METRICS_LISTEN=host:port: GET /metrics on a listener of its own (an admin port a
// firewall can keep private), served by a small server on its own thread. The main port then
// answers /metrics with 404.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "common/error.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace routerly::app {

struct ListenAddress {
  std::string host;  // without IPv6 brackets
  uint16_t port = 0;
};

// "127.0.0.1:9464", "localhost:9464", "[::1]:9464"; a port from 1 to 65535 is required.
Result<ListenAddress> parse_listen_address(std::string_view text);

// The environment's ROUTERLY_METRICS_LISTEN: nullopt when unset or empty, an error naming the
// variable when it cannot be read.
Result<std::optional<ListenAddress>> metrics_listen_from_env();

class MetricsListener {
 public:
  // Binds `where` and starts serving `metrics` on GET /metrics (404 for anything else).
  static Result<std::unique_ptr<MetricsListener>> start(const ListenAddress& where, http::BlockingHandler metrics);
  // Stops serving (drains its few connections) and joins its thread.
  ~MetricsListener();
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  uint16_t port() const { return port_; }

 private:
  explicit MetricsListener(std::unique_ptr<http::Server> server, uint16_t port);
  std::unique_ptr<http::Server> server_;
  uint16_t port_;
  std::thread thread_;  // runs server_->run(); joined before server_ goes
};

}  // namespace routerly::app
