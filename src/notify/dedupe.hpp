#pragma once
// Remembers which budget events were already sent, so each is sent once per window.
// Bounded: at most `capacity` keys, each forgotten after `ttl_ms` (the oldest go first when full).
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace routerly::notify {

class DedupeSet {
 public:
  DedupeSet(std::size_t capacity, int64_t ttl_ms) : capacity_(capacity), ttl_ms_(ttl_ms) {}

  // True (and remembered) the first time `key` is seen within its lifetime; false after.
  bool first_time(const std::string& key, int64_t now_ms);
  std::size_t size() const;

 private:
  void expire(int64_t now_ms);

  std::size_t capacity_;
  int64_t ttl_ms_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, int64_t> seen_;  // key → time first seen
  std::deque<std::pair<int64_t, std::string>> order_;
};

}  // namespace routerly::notify
