#pragma once
// Brute-force guard for password checks that cannot be turned against the account's owner:
//   - an (account, address) pair is blocked after `pair_failures` failures within `window`;
//   - an address is blocked after `address_failures` failures within `window`, whatever the
//     accounts (one address guessing across many accounts);
//   - an account alone is never blocked: past `account_slow_after` failures within `window`
//     (from any address) its answers are only delayed, doubling from `first_delay` up to
//     `max_delay`. So an attacker elsewhere slows the real user down a little but cannot lock
//     them out.
// A correct password does not bypass an active block. In memory, thread-safe.
//
// Keys are "pair:<account>\x1f<address>", "addr:<address>" and "acct:<account>" (accounts
// lower-cased); each keeps only the timestamps its rule needs. Memory is bounded: keys without
// failures in the window are dropped (on lookup and by a sweep once per window), and at most
// `max_keys` keys are kept — beyond that the keys with the fewest failures are evicted first, so
// flooding with fresh names cannot cheaply push out a key that is close to being blocked.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace routerly::auth {

struct ThrottleLimits {
  unsigned pair_failures = 10;
  unsigned address_failures = 50;
  unsigned account_slow_after = 5;
  std::chrono::milliseconds first_delay{250};
  std::chrono::milliseconds max_delay{4000};
  std::chrono::seconds window = std::chrono::minutes(15);
};

struct ThrottleVerdict {
  int64_t blocked_seconds = 0;  // > 0: refuse (429, retry-after) without checking the password
  int64_t delay_ms = 0;         // otherwise: answer no sooner than this
};

class LoginThrottle {
 public:
  static constexpr std::size_t kDefaultMaxKeys = 100'000;

  explicit LoginThrottle(ThrottleLimits limits = {}, std::size_t max_keys = kDefaultMaxKeys);
  ThrottleVerdict check(std::string_view account, std::string_view address, int64_t now_ms);
  void record_failure(std::string_view account, std::string_view address, int64_t now_ms);
  // Failures not tied to an account (a wrong refresh token): they count toward the address only.
  void record_address_failure(std::string_view address, int64_t now_ms);
  // Number of keys currently tracked (for tests and metrics).
  std::size_t tracked_keys();
  const ThrottleLimits& limits() const { return limits_; }

 private:
  // Failures of `key` in the window (0 when unknown); drops the key when none are left.
  std::size_t live_failures(const std::string& key, int64_t now_ms);
  // Whole seconds until `key` falls below `limit` failures; 0 = not blocked.
  int64_t blocked_seconds(const std::string& key, unsigned limit, int64_t now_ms);
  void record_key(const std::string& key, unsigned keep, int64_t now_ms);
  void prune(std::deque<int64_t>& times, int64_t now_ms) const;
  void sweep(int64_t now_ms);
  ThrottleLimits limits_;
  int64_t window_ms_;
  std::size_t max_keys_;
  int64_t last_sweep_ms_ = 0;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace routerly::auth
