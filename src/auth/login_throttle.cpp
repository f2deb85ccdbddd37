#include "auth/login_throttle.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace routerly::auth {

namespace {

std::string account_key(std::string_view account) {
  std::string key = "acct:";
  for (const char c : account) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return key;
}

std::string address_key(std::string_view address) {
  return "addr:" + std::string(address);
}

}  // namespace

LoginThrottle::LoginThrottle(unsigned max_failures, std::chrono::seconds window, std::size_t max_keys)
    : max_failures_(std::max(1U, max_failures)),
      window_ms_(std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(window).count())),
      max_keys_(std::max<std::size_t>(2, max_keys)) {}

int64_t LoginThrottle::blocked_for(std::string_view account, std::string_view address, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  return std::max(blocked_key(account_key(account), now_ms), blocked_key(address_key(address), now_ms));
}

void LoginThrottle::record_failure(std::string_view account, std::string_view address, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (now_ms - last_sweep_ms_ >= window_ms_) sweep(now_ms);
  record_key(account_key(account), now_ms);
  record_key(address_key(address), now_ms);
}

std::size_t LoginThrottle::tracked_keys() {
  std::lock_guard lock(mutex_);
  return failures_.size();
}

void LoginThrottle::prune(std::deque<int64_t>& times, int64_t now_ms) const {
  while (!times.empty() && times.front() <= now_ms - window_ms_) times.pop_front();
}

int64_t LoginThrottle::blocked_key(const std::string& key, int64_t now_ms) {
  const auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  prune(it->second, now_ms);
  if (it->second.empty()) {
    failures_.erase(it);
    return 0;
  }
  if (it->second.size() < max_failures_) return 0;
  // Whole seconds, rounded up, until the oldest failure leaves the window.
  const int64_t remaining_ms = it->second.front() + window_ms_ - now_ms;
  return std::max<int64_t>(1, (remaining_ms + 999) / 1000);
}

void LoginThrottle::record_key(const std::string& key, int64_t now_ms) {
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    if (failures_.size() >= max_keys_) sweep(now_ms);
    it = failures_.emplace(key, std::deque<int64_t>{}).first;
  }
  auto& times = it->second;
  prune(times, now_ms);
  times.push_back(now_ms);
  // Only the newest max_failures matter for the block decision.
  while (times.size() > max_failures_) times.pop_front();
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
