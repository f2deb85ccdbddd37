#include "http/client_pool.hpp"

#include <vector>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>

namespace routerly::http::detail {

ClientPool& ClientPool::of(const asio::any_io_executor& executor) {
  return asio::use_service<ClientPool>(asio::query(executor, asio::execution::context));
}

std::unique_ptr<ClientConnection> ClientPool::take(const std::string& key, const Limits& limits) {
  std::vector<std::unique_ptr<ClientConnection>> dropped;  // closed outside the lock
  std::unique_ptr<ClientConnection> found;
  {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(key);
    if (it == idle_.end()) return nullptr;
    auto& queue = it->second;  // oldest at the front
    const auto oldest_allowed = Clock::now() - limits.max_idle_age;
    while (!queue.empty() && queue.front()->idle_since < oldest_allowed) {
      dropped.push_back(std::move(queue.front()));
      queue.pop_front();
    }
    while (!queue.empty() && !found) {
      auto candidate = std::move(queue.back());
      queue.pop_back();
      if (candidate->alive())
        found = std::move(candidate);
      else
        dropped.push_back(std::move(candidate));
    }
    if (queue.empty()) idle_.erase(it);
  }
  for (auto& connection : dropped) connection->close();
  return found;
}

void ClientPool::give(const std::string& key, std::unique_ptr<ClientConnection> connection,
                      const Limits& limits) {
  std::unique_ptr<ClientConnection> dropped;
  connection->idle_since = Clock::now();
  {
    std::lock_guard lock(mutex_);
    if (!shut_down_ && limits.max_idle_per_key > 0) {
      auto& queue = idle_[key];
      if (queue.size() >= limits.max_idle_per_key) {
        dropped = std::move(queue.front());
        queue.pop_front();
      }
      queue.push_back(std::move(connection));
    }
  }
  if (connection) connection->close();  // not kept
  if (dropped) dropped->close();
}

std::size_t ClientPool::idle_count(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = idle_.find(key);
  return it == idle_.end() ? 0 : it->second.size();
}

void ClientPool::shutdown() {
  std::unordered_map<std::string, std::deque<std::unique_ptr<ClientConnection>>> idle;
  {
    std::lock_guard lock(mutex_);
    shut_down_ = true;
    idle.swap(idle_);
  }
  for (auto& [key, queue] : idle)
    for (auto& connection : queue) connection->close();
}

}  // namespace routerly::http::detail
