#include "routing/semantic/centroid_cache.hpp"

#include <algorithm>

#include "common/crypto.hpp"

namespace routerly::routing::semantic {

std::string CentroidCache::key(std::string_view model, std::string_view intent,
                               std::vector<std::string> examples) {
  std::sort(examples.begin(), examples.end());
  // Length-prefixed so that no two example lists serialise alike.
  std::string joined;
  for (const auto& e : examples) joined += std::to_string(e.size()) + ":" + e + "\n";
  std::string key;
  key += std::to_string(model.size()) + ":";
  key += model;
  key += std::to_string(intent.size()) + ":";
  key += intent;
  key += crypto::sha256_hex(joined);
  return key;
}

std::optional<Vector> CentroidCache::get(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) return std::nullopt;
  if (found->second.expires_ms <= now_ms) {
    entries_.erase(found);
    return std::nullopt;
  }
  return found->second.centroid;
}

void CentroidCache::put(const std::string& key, Vector centroid, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  entries_[key] = Entry{std::move(centroid), now_ms + kTtlMs};
  if (++puts_since_sweep_ >= 64) sweep(now_ms);
}

std::size_t CentroidCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void CentroidCache::sweep(int64_t now_ms) {
  puts_since_sweep_ = 0;
  std::erase_if(entries_, [&](const auto& item) { return item.second.expires_ms <= now_ms; });
}

}  // namespace routerly::routing::semantic
