#pragma once
// Brute-force guard: after `max_failures` failed logins for one account or from one address
// within `window`, further attempts are refused until the oldest failure leaves the window.
// A correct password does not bypass an active block. In memory, thread-safe.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace routerly::auth {

class LoginThrottle {
 public:
  LoginThrottle(unsigned max_failures = 10, std::chrono::seconds window = std::chrono::minutes(15));
  // Seconds until attempts are allowed again for this account/address pair; 0 = allowed.
  int64_t blocked_for(std::string_view account, std::string_view address, int64_t now_ms);
  void record_failure(std::string_view account, std::string_view address, int64_t now_ms);

 private:
  int64_t blocked_key(const std::string& key, int64_t now_ms);
  unsigned max_failures_;
  int64_t window_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace routerly::auth
