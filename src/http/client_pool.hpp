#pragma once
// Private to src/http: idle keep-alive connections of the outbound client, keyed by
// execution context + scheme + host + port (+ proxy). Thread-safe.
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/client_connection.hpp"

namespace routerly::http::detail {

class ClientPool {
 public:
  ClientPool(std::size_t max_idle_per_key, std::chrono::seconds max_idle_age)
      : max_idle_(max_idle_per_key), max_age_(max_idle_age) {}

  // The most recently used live connection for `key`, or null. Connections idle longer
  // than the max age, or closed by the peer meanwhile, are dropped on the way.
  std::unique_ptr<ClientConnection> take(const std::string& key);
  // Keeps a connection whose last response was read to its end; drops the oldest beyond the bound.
  void give(const std::string& key, std::unique_ptr<ClientConnection> connection);
  std::size_t idle_count(const std::string& key);

 private:
  const std::size_t max_idle_;
  const std::chrono::seconds max_age_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::unique_ptr<ClientConnection>>> idle_;
};

}  // namespace routerly::http::detail
