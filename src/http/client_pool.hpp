#pragma once
// Private to src/http: idle keep-alive connections of the outbound client. Thread-safe.
//
// Ownership: one pool per execution context, registered as an Asio service of that context
// (asio::use_service). An idle connection holds a socket registered with its context's
// reactor, so it must be closed before the reactor goes. A context shuts its services down
// (this pool drops its connections there) before it destroys any of them, and it does so
// whatever objects of the program hold the client or the contexts: the safe teardown order is
// a property of the types, not of the order in which `serve` happens to declare them.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/execution_context.hpp>

#include "http/client_connection.hpp"

namespace routerly::http::detail {

class ClientPool final : public asio::execution_context::service {
 public:
  // How long and how many connections a client keeps (the pool serves every client of the
  // context; keys carry the client's id, so clients never share a connection).
  struct Limits {
    std::size_t max_idle_per_key = 64;
    std::chrono::seconds max_idle_age{60};
  };

  static inline asio::execution_context::id id;  // the service's identity for use_service
  explicit ClientPool(asio::execution_context& context) : service(context) {}
  // The pool of the context that runs `executor`, created on first use.
  static ClientPool& of(const asio::any_io_executor& executor);

  // The most recently used live connection for `key`, or null. Connections idle longer
  // than the max age, or closed by the peer meanwhile, are dropped on the way.
  std::unique_ptr<ClientConnection> take(const std::string& key, const Limits& limits);
  // Keeps a connection whose last response was read to its end; drops the oldest beyond the
  // bound. After the context's shutdown began, closes it instead.
  void give(const std::string& key, std::unique_ptr<ClientConnection> connection, const Limits& limits);
  std::size_t idle_count(const std::string& key);

 private:
  // Called by the context before it destroys its services: closes every idle connection
  // while the reactor they are registered with still exists.
  void shutdown() override;

  std::mutex mutex_;
  bool shut_down_ = false;  // guarded by mutex_
  std::unordered_map<std::string, std::deque<std::unique_ptr<ClientConnection>>> idle_;
};

}  // namespace routerly::http::detail
