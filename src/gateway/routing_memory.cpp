#include "gateway/routing_memory.hpp"

namespace routerly::gateway {

std::string RoutingMemory::key(std::string_view project_id, std::string_view conversation_id) {
  std::string k(project_id);
  k += ':';
  k += conversation_id;
  return k;
}

void RoutingMemory::remember(std::string_view project_id, std::string_view conversation_id,
                             std::string model_id, int64_t now_ms) {
  if (conversation_id.empty() || model_id.empty()) return;
  std::lock_guard lock(mutex_);
  auto& entries = conversations_[key(project_id, conversation_id)];
  entries.push_back(Entry{std::move(model_id), now_ms});
  while (entries.size() > kMaxEntries) entries.pop_front();
  if (++writes_since_sweep_ >= 256) sweep(now_ms);
}

std::vector<std::string> RoutingMemory::recent(std::string_view project_id, std::string_view conversation_id,
                                               std::size_t count, int64_t now_ms) const {
  std::vector<std::string> out;
  if (conversation_id.empty() || count == 0) return out;
  std::lock_guard lock(mutex_);
  auto found = conversations_.find(key(project_id, conversation_id));
  if (found == conversations_.end()) return out;
  for (const auto& e : found->second)
    if (now_ms - e.at_ms < kTtlMs) out.push_back(e.model_id);
  if (out.size() > count) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(count));
  return out;
}

void RoutingMemory::sweep(int64_t now_ms) {
  writes_since_sweep_ = 0;
  for (auto it = conversations_.begin(); it != conversations_.end();) {
    auto& entries = it->second;
    while (!entries.empty() && now_ms - entries.front().at_ms >= kTtlMs) entries.pop_front();
    it = entries.empty() ? conversations_.erase(it) : std::next(it);
  }
}

RoutingMemory& routing_memory() {
  static RoutingMemory memory;
  return memory;
}

}  // namespace routerly::gateway
