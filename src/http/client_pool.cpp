#include "http/client_pool.hpp"

#include <vector>

namespace routerly::http::detail {

std::unique_ptr<ClientConnection> ClientPool::take(const std::string& key) {
  std::vector<std::unique_ptr<ClientConnection>> dropped;  // closed outside the lock
  std::unique_ptr<ClientConnection> found;
  {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(key);
    if (it == idle_.end()) return nullptr;
    auto& queue = it->second;  // oldest at the front
    const auto oldest_allowed = Clock::now() - max_age_;
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

void ClientPool::give(const std::string& key, std::unique_ptr<ClientConnection> connection) {
  std::unique_ptr<ClientConnection> dropped;
  if (max_idle_ == 0) {
    connection->close();
    return;
  }
  connection->idle_since = Clock::now();
  {
    std::lock_guard lock(mutex_);
    auto& queue = idle_[key];
    if (queue.size() >= max_idle_) {
      dropped = std::move(queue.front());
      queue.pop_front();
    }
    queue.push_back(std::move(connection));
  }
  if (dropped) dropped->close();
}

std::size_t ClientPool::idle_count(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = idle_.find(key);
  return it == idle_.end() ? 0 : it->second.size();
}

}  // namespace routerly::http::detail
