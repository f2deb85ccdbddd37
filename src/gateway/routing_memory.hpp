#pragma once
// Conversation memory of the `llm` policy (SPEC §5.5): per project:conversation, the models
// earlier turns were routed to (the top-ranked candidate), at most 50 entries each, every entry
// kept one hour. In memory only; thread-safe.
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace routerly::gateway {

class RoutingMemory {
 public:
  static constexpr std::size_t kMaxEntries = 50;
  static constexpr int64_t kTtlMs = 3600 * 1000;

  // Records the top-ranked model of a routed request. Ignored when conversation_id is empty.
  void remember(std::string_view project_id, std::string_view conversation_id, std::string model_id,
                int64_t now_ms);
  // The last `count` live entries, oldest first.
  std::vector<std::string> recent(std::string_view project_id, std::string_view conversation_id,
                                  std::size_t count, int64_t now_ms) const;

 private:
  struct Entry {
    std::string model_id;
    int64_t at_ms = 0;
  };
  static std::string key(std::string_view project_id, std::string_view conversation_id);
  void sweep(int64_t now_ms);  // caller holds mutex_
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Entry>> conversations_;
  std::size_t writes_since_sweep_ = 0;
};

// The process-wide memory the gateway's llm policy uses.
RoutingMemory& routing_memory();

}  // namespace routerly::gateway
