#include "notify/dedupe.hpp"

namespace routerly::notify {

void DedupeSet::expire(int64_t now_ms) {
  while (!order_.empty() && (now_ms - order_.front().first >= ttl_ms_ || seen_.size() >= capacity_)) {
    auto it = seen_.find(order_.front().second);
    // The map entry is erased only if it still belongs to this queue element.
    if (it != seen_.end() && it->second == order_.front().first) seen_.erase(it);
    order_.pop_front();
  }
}

bool DedupeSet::first_time(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (auto it = seen_.find(key); it != seen_.end() && now_ms - it->second < ttl_ms_) return false;
  expire(now_ms);
  seen_[key] = now_ms;
  order_.emplace_back(now_ms, key);
  return true;
}

std::size_t DedupeSet::size() const {
  std::lock_guard lock(mutex_);
  return seen_.size();
}

}  // namespace routerly::notify
