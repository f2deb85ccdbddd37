#pragma once
// Brute-force guard: after `max_failures` failed logins for one account or from one address
// within `window`, further attempts are refused until the oldest failure leaves the window.
// A correct password does not bypass an active block. In memory, thread-safe.
//
// Keys are "acct:<lower-cased account>" and "addr:<address>"; each keeps at most
// `max_failures` timestamps. Memory is bounded: keys without failures in the window are
// dropped (on lookup and by a sweep once per window), and at most `max_keys` keys are kept —
// beyond that the keys with the fewest failures are evicted first, so flooding with fresh
// names cannot cheaply push out a key that is close to being blocked.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace routerly::auth {

class LoginThrottle {
 public:
  static constexpr std::size_t kDefaultMaxKeys = 100'000;

  LoginThrottle(unsigned max_failures = 10, std::chrono::seconds window = std::chrono::minutes(15),
                std::size_t max_keys = kDefaultMaxKeys);
  // Seconds until attempts are allowed again for this account/address pair; 0 = allowed.
  int64_t blocked_for(std::string_view account, std::string_view address, int64_t now_ms);
  void record_failure(std::string_view account, std::string_view address, int64_t now_ms);
  // Number of keys currently tracked (for tests and metrics).
  std::size_t tracked_keys();

 private:
  int64_t blocked_key(const std::string& key, int64_t now_ms);
  void record_key(const std::string& key, int64_t now_ms);
  void prune(std::deque<int64_t>& times, int64_t now_ms) const;
  void sweep(int64_t now_ms);
  unsigned max_failures_;
  int64_t window_ms_;
  std::size_t max_keys_;
  int64_t last_sweep_ms_ = 0;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace routerly::auth
