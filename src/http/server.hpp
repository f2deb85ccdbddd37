#pragma once
// The HTTP/1.1 server: accept → parse (with limits) → dispatch → write → keep-alive.
// Implementation (Beast, Asio coroutines) lives in server.cpp; nothing of it leaks here.
#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include "common/error.hpp"
#include "http/exchange.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace routerly::http {

// An option read each time it is used, so that a settings change applies without a restart:
// a fixed value, or a function returning the current one (called on I/O threads: cheap,
// thread-safe, never blocking). Converts to its value where a plain one is expected.
template <class T>
class Live {
 public:
  Live() = default;
  template <class U>
    requires(!std::same_as<U, Live> && std::convertible_to<U, T>)
  Live(U fixed) : fixed_(fixed) {}
  template <class F>
    requires(!std::same_as<F, Live> && !std::convertible_to<F, T> && std::is_invocable_r_v<T, F&>)
  Live(F read) : read_(std::move(read)) {}

  T get() const { return read_ ? read_() : fixed_; }
  operator T() const { return get(); }

 private:
  T fixed_{};
  std::function<T()> read_;
};

struct ServerOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 3000;                         // 0 = pick a free port
  unsigned io_threads = 0;                      // 0 = cores - 1 (at least 1)
  unsigned blocking_threads = 4;                // pool for BlockingHandler
  Live<std::size_t> max_body_bytes = 32u << 20;  // 413 payload_too_large beyond; read per request
  std::size_t max_header_bytes = 16u << 10;     // 431 headers_too_large beyond
  // After a stop signal: how long in-flight requests may still run. Read when the drain
  // starts; 0 = streams are cut at once (see Server::run).
  Live<std::chrono::milliseconds> shutdown_grace;
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive idle close
  // Called once per answered request on an I/O thread (metrics): must be cheap, never block.
  std::function<void(std::string_view method, std::string_view path, unsigned status, double seconds)>
      on_request;
};

// Answers when the router matched nothing; runs on the connection's strand like any async
// route (wrap a blocking one with as_async()).
using FallbackHandler = AsyncHandler;
// Whether an Origin may be reflected in Access-Control-Allow-Origin (SPEC §00 P22).
using OriginPolicy = std::function<bool(std::string_view origin)>;

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router, FallbackHandler fallback,
         OriginPolicy origin_allowed);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns the bound port (useful with port 0).
  Result<uint16_t> listen();
  // Serves until SIGTERM/SIGINT or stop(); then stops accepting and lets in-flight requests
  // finish within shutdown_grace. When the grace runs out, every exchange still streaming is
  // cut (Exchange::cut_by_shutdown): its handler ends the stream with an error and records it,
  // for which the server waits a short bounded moment more, then returns. A second signal
  // returns at once.
  void run();
  // Asks run() to drain and return. Thread-safe.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace routerly::http
