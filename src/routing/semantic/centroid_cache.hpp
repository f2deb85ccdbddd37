#pragma once
// Intent centroids kept in memory for an hour (SPEC §5.4 step 3), keyed by (embedding model,
// intent name, hash of the sorted examples): editing an intent's examples makes a new key.
// Thread-safe.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "routing/semantic/classify.hpp"

namespace routerly::routing::semantic {

class CentroidCache {
 public:
  static constexpr int64_t kTtlMs = 3600 * 1000;

  static std::string key(std::string_view model, std::string_view intent, std::vector<std::string> examples);

  // nullopt when absent or expired (an expired entry is dropped).
  std::optional<Vector> get(const std::string& key, int64_t now_ms);
  void put(const std::string& key, Vector centroid, int64_t now_ms);
  std::size_t size() const;

 private:
  struct Entry {
    Vector centroid;
    int64_t expires_ms = 0;
  };
  void sweep(int64_t now_ms);  // caller holds mutex_
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::size_t puts_since_sweep_ = 0;
};

}  // namespace routerly::routing::semantic
