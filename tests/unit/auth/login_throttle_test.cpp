#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

namespace routerly::auth {
namespace {

constexpr int64_t kT0 = 1'768'473'000'000;
constexpr int64_t kWindowMs = 15 * 60 * 1000;

TEST(LoginThrottle, TenthFailureBlocksThePairOnly) {
  LoginThrottle throttle;
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(throttle.check("alice@example.com", "10.0.0.1", kT0 + i).blocked_seconds, 0) << i;
    throttle.record_failure("alice@example.com", "10.0.0.1", kT0 + i);
  }
  EXPECT_EQ(throttle.check("alice@example.com", "10.0.0.1", kT0 + 100).blocked_seconds, 0);
  throttle.record_failure("alice@example.com", "10.0.0.1", kT0 + 100);
  // Blocked until the first failure (kT0) leaves the 15-minute window.
  EXPECT_EQ(throttle.check("alice@example.com", "10.0.0.1", kT0 + 1000).blocked_seconds, 15 * 60 - 1);
  // The account name is case-insensitive.
  EXPECT_GT(throttle.check("ALICE@example.COM", "10.0.0.1", kT0 + 1000).blocked_seconds, 0);
  // The same account from another address is not blocked, only slowed down.
  auto elsewhere = throttle.check("alice@example.com", "10.0.0.9", kT0 + 1000);
  EXPECT_EQ(elsewhere.blocked_seconds, 0);
  EXPECT_GT(elsewhere.delay_ms, 0);
  // Another account from the same address is free (ten failures do not block an address).
  EXPECT_EQ(throttle.check("bob", "10.0.0.1", kT0 + 1000).blocked_seconds, 0);
}

TEST(LoginThrottle, AnAttackerFromManyAddressesCannotLockTheAccountOut) {
  LoginThrottle throttle;
  // A thousand failures for the admin account, spread over a hundred addresses.
  for (int i = 0; i < 1000; ++i)
    throttle.record_failure("admin@example.com", "203.0.113." + std::to_string(i % 100), kT0 + i);
  auto owner = throttle.check("admin@example.com", "198.51.100.1", kT0 + 2000);
  EXPECT_EQ(owner.blocked_seconds, 0);
  // Slower answers only, bounded.
  EXPECT_EQ(owner.delay_ms, ThrottleLimits{}.max_delay.count());
  // Each attacking address is blocked for this account.
  EXPECT_GT(throttle.check("admin@example.com", "203.0.113.7", kT0 + 2000).blocked_seconds, 0);
}

TEST(LoginThrottle, AccountDelayGrowsAndIsBounded) {
  ThrottleLimits limits;
  limits.account_slow_after = 3;
  limits.first_delay = std::chrono::milliseconds(100);
  limits.max_delay = std::chrono::milliseconds(500);
  LoginThrottle throttle(limits);
  std::vector<int64_t> delays;
  for (int i = 0; i < 7; ++i) {
    delays.push_back(throttle.check("carol", "x", kT0).delay_ms);
    throttle.record_failure("carol", "addr" + std::to_string(i), kT0);
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{0, 0, 0, 100, 200, 400, 500}));
  // Other accounts are not slowed.
  EXPECT_EQ(throttle.check("dave", "x", kT0).delay_ms, 0);
  // The delay ends with the window.
  EXPECT_EQ(throttle.check("carol", "x", kT0 + kWindowMs).delay_ms, 0);
}

TEST(LoginThrottle, WindowExpiryUnblocks) {
  LoginThrottle throttle;
  for (int i = 0; i < 10; ++i) throttle.record_failure("alice", "10.0.0.1", kT0 + i * 1000);
  EXPECT_EQ(throttle.check("alice", "10.0.0.1", kT0 + kWindowMs - 1).blocked_seconds, 1);
  // The oldest failure leaves the window: nine remain, below the limit.
  EXPECT_EQ(throttle.check("alice", "10.0.0.1", kT0 + kWindowMs).blocked_seconds, 0);
  // One more failure brings it back to ten within the window.
  throttle.record_failure("alice", "10.0.0.1", kT0 + kWindowMs);
  EXPECT_EQ(throttle.check("alice", "10.0.0.1", kT0 + kWindowMs).blocked_seconds, 1);
  // Long after, everything has expired and the keys are forgotten.
  EXPECT_EQ(throttle.check("alice", "10.0.0.1", kT0 + 3 * kWindowMs).blocked_seconds, 0);
  EXPECT_EQ(throttle.tracked_keys(), 0U);
}

TEST(LoginThrottle, PerAddressBlockingAcrossAccounts) {
  LoginThrottle throttle;
  for (int i = 0; i < 49; ++i) throttle.record_failure("user" + std::to_string(i), "192.0.2.7", kT0 + i);
  EXPECT_EQ(throttle.check("fresh-user", "192.0.2.7", kT0 + 100).blocked_seconds, 0);
  throttle.record_failure("user49", "192.0.2.7", kT0 + 100);
  EXPECT_GT(throttle.check("fresh-user", "192.0.2.7", kT0 + 100).blocked_seconds, 0);
  // Each account saw only one failure: from elsewhere they are fine.
  for (int i = 0; i < 50; ++i) {
    auto v = throttle.check("user" + std::to_string(i), "198.51.100.1", kT0 + 200);
    EXPECT_EQ(v.blocked_seconds, 0);
    EXPECT_EQ(v.delay_ms, 0);
  }
}

TEST(LoginThrottle, AddressOnlyFailuresCountTowardTheAddress) {
  ThrottleLimits limits;
  limits.address_failures = 3;
  LoginThrottle throttle(limits);
  for (int i = 0; i < 3; ++i) throttle.record_address_failure("192.0.2.9", kT0);
  EXPECT_GT(throttle.check("anyone", "192.0.2.9", kT0).blocked_seconds, 0);
  EXPECT_EQ(throttle.check("anyone", "192.0.2.10", kT0).blocked_seconds, 0);
  EXPECT_EQ(throttle.check("anyone", "192.0.2.10", kT0).delay_ms, 0);
}

TEST(LoginThrottle, CustomLimitsAndBlockedSecondsRoundUp) {
  ThrottleLimits limits;
  limits.pair_failures = 3;
  limits.window = std::chrono::seconds(60);
  LoginThrottle throttle(limits);
  throttle.record_failure("a", "x", kT0);
  throttle.record_failure("a", "x", kT0 + 10'000);
  EXPECT_EQ(throttle.check("a", "x", kT0 + 10'000).blocked_seconds, 0);
  throttle.record_failure("a", "x", kT0 + 20'000);
  EXPECT_EQ(throttle.check("a", "x", kT0 + 20'000).blocked_seconds, 40);
  EXPECT_EQ(throttle.check("a", "x", kT0 + 59'500).blocked_seconds, 1);
  EXPECT_EQ(throttle.check("a", "x", kT0 + 60'000).blocked_seconds, 0);
}

TEST(LoginThrottle, MemoryIsBounded) {
  LoginThrottle throttle(ThrottleLimits{}, 100);
  // A target pair close to its limit.
  for (int i = 0; i < 9; ++i) throttle.record_failure("target", "203.0.113.1", kT0);
  // Flood with fresh names from fresh addresses.
  for (int i = 0; i < 1000; ++i) {
    throttle.record_failure("flood" + std::to_string(i), "addr" + std::to_string(i), kT0 + 1);
    ASSERT_LE(throttle.tracked_keys(), 100U);
  }
  // The pair with many failures survived the evictions.
  throttle.record_failure("target", "203.0.113.1", kT0 + 2);
  EXPECT_GT(throttle.check("target", "203.0.113.1", kT0 + 3).blocked_seconds, 0);
  // Stale keys are swept once the window has passed.
  throttle.record_failure("late", "late-addr", kT0 + kWindowMs + 10);
  EXPECT_EQ(throttle.tracked_keys(), 3U);  // its pair, address and account keys
}

}  // namespace
}  // namespace routerly::auth
