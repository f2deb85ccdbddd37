#include "auth/login_throttle.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace routerly::auth {

namespace {

std::string lowered(std::string_view account) {
  std::string out;
  for (const char c : account) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string account_key(std::string_view account) {
  return "acct:" + lowered(account);
}

std::string address_key(std::string_view address) {
  return "addr:" + std::string(address);
}

std::string pair_key(std::string_view account, std::string_view address) {
  return "pair:" + lowered(account) + '\x1f' + std::string(address);
}

// Enough account timestamps to reach the longest delay.
constexpr unsigned kAccountDoublings = 16;

}  // namespace

LoginThrottle::LoginThrottle(ThrottleLimits limits, std::size_t max_keys)
    : limits_(limits),
      window_ms_(std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(limits.window).count())),
      max_keys_(std::max<std::size_t>(2, max_keys)) {
  limits_.pair_failures = std::max(1U, limits_.pair_failures);
  limits_.address_failures = std::max(1U, limits_.address_failures);
}

ThrottleVerdict LoginThrottle::check(std::string_view account, std::string_view address, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  ThrottleVerdict verdict;
  verdict.blocked_seconds =
      std::max(blocked_seconds(pair_key(account, address), limits_.pair_failures, now_ms),
               blocked_seconds(address_key(address), limits_.address_failures, now_ms));
  const std::size_t n = live_failures(account_key(account), now_ms);
  if (n >= limits_.account_slow_after && limits_.first_delay.count() > 0) {
    const auto doublings = std::min<std::size_t>(n - limits_.account_slow_after, kAccountDoublings);
    const int64_t delay = limits_.first_delay.count() << doublings;
    verdict.delay_ms = std::min<int64_t>(delay, limits_.max_delay.count());
  }
  return verdict;
}

void LoginThrottle::record_failure(std::string_view account, std::string_view address, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (now_ms - last_sweep_ms_ >= window_ms_) sweep(now_ms);
  record_key(pair_key(account, address), limits_.pair_failures, now_ms);
  record_key(address_key(address), limits_.address_failures, now_ms);
  record_key(account_key(account), limits_.account_slow_after + kAccountDoublings, now_ms);
}

void LoginThrottle::record_address_failure(std::string_view address, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (now_ms - last_sweep_ms_ >= window_ms_) sweep(now_ms);
  record_key(address_key(address), limits_.address_failures, now_ms);
}

std::size_t LoginThrottle::tracked_keys() {
  std::lock_guard lock(mutex_);
  return failures_.size();
}

void LoginThrottle::prune(std::deque<int64_t>& times, int64_t now_ms) const {
  while (!times.empty() && times.front() <= now_ms - window_ms_) times.pop_front();
}

std::size_t LoginThrottle::live_failures(const std::string& key, int64_t now_ms) {
  const auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  prune(it->second, now_ms);
  if (it->second.empty()) {
    failures_.erase(it);
    return 0;
  }
  return it->second.size();
}

int64_t LoginThrottle::blocked_seconds(const std::string& key, unsigned limit, int64_t now_ms) {
  if (live_failures(key, now_ms) < limit) return 0;
  const auto& times = failures_.at(key);
  // Whole seconds, rounded up, until the failure that made the limit leaves the window.
  const int64_t remaining_ms = times[times.size() - limit] + window_ms_ - now_ms;
  return std::max<int64_t>(1, (remaining_ms + 999) / 1000);
}

void LoginThrottle::record_key(const std::string& key, unsigned keep, int64_t now_ms) {
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    if (failures_.size() >= max_keys_) sweep(now_ms);
    it = failures_.emplace(key, std::deque<int64_t>{}).first;
  }
  auto& times = it->second;
  prune(times, now_ms);
  times.push_back(now_ms);
  // Only the newest `keep` matter for this key's rule.
  while (times.size() > std::max(1U, keep)) times.pop_front();
}

void LoginThrottle::sweep(int64_t now_ms) {
  last_sweep_ms_ = now_ms;
  for (auto it = failures_.begin(); it != failures_.end();) {
    prune(it->second, now_ms);
    it = it->second.empty() ? failures_.erase(it) : std::next(it);
  }
  if (failures_.size() < max_keys_) return;
  // Still full of live keys: evict down to 90% of the cap, fewest failures first, so that
  // the next insertions do not each pay for another sweep.
  const std::size_t target = max_keys_ - std::max<std::size_t>(1, max_keys_ / 10);
  std::vector<decltype(failures_)::iterator> order;
  order.reserve(failures_.size());
  for (auto it = failures_.begin(); it != failures_.end(); ++it) order.push_back(it);
  const std::size_t evict = failures_.size() - target;
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(evict - 1), order.end(),
                   [](const auto& a, const auto& b) { return a->second.size() < b->second.size(); });
  for (std::size_t i = 0; i < evict; ++i) failures_.erase(order[i]);
}

}  // namespace routerly::auth
