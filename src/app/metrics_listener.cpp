#include "app/metrics_listener.hpp"

#include <charconv>
#include <cstdlib>

#include <spdlog/spdlog.h>

namespace routerly::app {

Result<ListenAddress> parse_listen_address(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return fail(ErrorCode::validation_error,
                "'" + std::string(text) + "' is not host:port (" + std::string(why) + ")");
  };
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return bad("an IPv6 address is written [address]:port");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("no port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad("an IPv6 address is written [address]:port");
  }
  if (host.empty()) return bad("no host");
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    return bad("the port must be a number from 1 to 65535");
  return ListenAddress{std::string(host), static_cast<uint16_t>(value)};
}

Result<std::optional<ListenAddress>> metrics_listen_from_env() {
  const char* raw = std::getenv("ROUTERLY_METRICS_LISTEN");
  if (raw == nullptr || *raw == '\0') return std::optional<ListenAddress>();
  auto parsed = parse_listen_address(raw);
  if (!parsed) return fail(ErrorCode::validation_error, "ROUTERLY_METRICS_LISTEN: " + parsed.error().message);
  return std::optional(std::move(*parsed));
}

Result<std::unique_ptr<MetricsListener>> MetricsListener::start(const ListenAddress& where,
                                                                http::BlockingHandler metrics) {
  auto router = std::make_shared<http::Router>();
  router->add("GET", "/metrics", std::move(metrics));
  http::ServerOptions options;
  options.host = where.host;
  options.port = where.port;
  options.io_threads = 1;
  options.blocking_threads = 1;
  options.max_body_bytes = 1024;  // a scraper sends none
  auto server = std::make_unique<http::Server>(
      std::move(options), std::move(router),
      http::as_async([](http::Request&) { return http::Response::error(ErrorCode::not_found, "not found"); }),
      [](std::string_view) { return false; });
  auto port = server->listen();
  if (!port) return std::unexpected(port.error());
  return std::unique_ptr<MetricsListener>(new MetricsListener(std::move(server), *port));
}

MetricsListener::MetricsListener(std::unique_ptr<http::Server> server, uint16_t port)
    : server_(std::move(server)), port_(port), thread_([this] { server_->run(); }) {}

MetricsListener::~MetricsListener() {
  server_->stop();
  thread_.join();
}

}  // namespace routerly::app
