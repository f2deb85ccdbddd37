#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

namespace routerly::auth {
namespace {

constexpr int64_t kT0 = 1'768'473'000'000;
constexpr int64_t kWindowMs = 15 * 60 * 1000;

TEST(LoginThrottle, TenthFailureBlocksTheAccount) {
  LoginThrottle throttle;
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(throttle.blocked_for("alice@example.com", "10.0.0.1", kT0 + i), 0) << i;
    throttle.record_failure("alice@example.com", "10.0.0.1", kT0 + i);
  }
  EXPECT_EQ(throttle.blocked_for("alice@example.com", "10.0.0.1", kT0 + 100), 0);
  throttle.record_failure("alice@example.com", "10.0.0.1", kT0 + 100);
  // Blocked until the first failure (kT0) leaves the 15-minute window.
  EXPECT_EQ(throttle.blocked_for("alice@example.com", "10.0.0.1", kT0 + 1000), 15 * 60 - 1);
  // The account name is case-insensitive.
  EXPECT_GT(throttle.blocked_for("ALICE@example.COM", "10.0.0.9", kT0 + 1000), 0);
}

TEST(LoginThrottle, OtherAccountsAndAddressesUnaffected) {
  LoginThrottle throttle;
  for (int i = 0; i < 10; ++i) throttle.record_failure("alice", "10.0.0.1", kT0 + i);
  EXPECT_GT(throttle.blocked_for("alice", "10.0.0.1", kT0 + 10), 0);
  // Same account from another address: still blocked (the account key counts).
  EXPECT_GT(throttle.blocked_for("alice", "10.0.0.2", kT0 + 10), 0);
  // Another account from another address is free.
  EXPECT_EQ(throttle.blocked_for("bob", "10.0.0.2", kT0 + 10), 0);
  // Another account from the blocked address: the address key counts.
  EXPECT_GT(throttle.blocked_for("bob", "10.0.0.1", kT0 + 10), 0);
}

TEST(LoginThrottle, WindowExpiryUnblocks) {
  LoginThrottle throttle;
  for (int i = 0; i < 10; ++i) throttle.record_failure("alice", "10.0.0.1", kT0 + i * 1000);
  EXPECT_EQ(throttle.blocked_for("alice", "10.0.0.1", kT0 + kWindowMs - 1), 1);
  // The oldest failure leaves the window: nine remain, below the limit.
  EXPECT_EQ(throttle.blocked_for("alice", "10.0.0.1", kT0 + kWindowMs), 0);
  // One more failure brings it back to ten within the window.
  throttle.record_failure("alice", "10.0.0.1", kT0 + kWindowMs);
  EXPECT_EQ(throttle.blocked_for("alice", "10.0.0.1", kT0 + kWindowMs), 1);
  // Long after, everything has expired and the keys are forgotten.
  EXPECT_EQ(throttle.blocked_for("alice", "10.0.0.1", kT0 + 3 * kWindowMs), 0);
  EXPECT_EQ(throttle.tracked_keys(), 0U);
}

TEST(LoginThrottle, PerAddressBlockingAcrossAccounts) {
  LoginThrottle throttle;
  for (int i = 0; i < 10; ++i) throttle.record_failure("user" + std::to_string(i), "192.0.2.7", kT0 + i);
  EXPECT_GT(throttle.blocked_for("fresh-user", "192.0.2.7", kT0 + 20), 0);
  // Each account saw only one failure: from elsewhere they are fine.
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(throttle.blocked_for("user" + std::to_string(i), "198.51.100.1", kT0 + 20), 0);
}

TEST(LoginThrottle, CustomLimitsAndBlockedSecondsRoundUp) {
  LoginThrottle throttle(3, std::chrono::seconds(60));
  throttle.record_failure("a", "x", kT0);
  throttle.record_failure("a", "x", kT0 + 10'000);
  EXPECT_EQ(throttle.blocked_for("a", "x", kT0 + 10'000), 0);
  throttle.record_failure("a", "x", kT0 + 20'000);
  EXPECT_EQ(throttle.blocked_for("a", "x", kT0 + 20'000), 40);
  EXPECT_EQ(throttle.blocked_for("a", "x", kT0 + 59'500), 1);
  EXPECT_EQ(throttle.blocked_for("a", "x", kT0 + 60'000), 0);
}

TEST(LoginThrottle, MemoryIsBounded) {
  LoginThrottle throttle(10, std::chrono::minutes(15), 100);
  // A target account close to its limit.
  for (int i = 0; i < 9; ++i) throttle.record_failure("target", "203.0.113.1", kT0);
  // Flood with fresh names from fresh addresses.
  for (int i = 0; i < 1000; ++i) {
    throttle.record_failure("flood" + std::to_string(i), "addr" + std::to_string(i), kT0 + 1);
    ASSERT_LE(throttle.tracked_keys(), 100U);
  }
  // The key with many failures survived the evictions.
  throttle.record_failure("target", "198.51.100.9", kT0 + 2);
  EXPECT_GT(throttle.blocked_for("target", "198.51.100.10", kT0 + 3), 0);
  // Stale keys are swept once the window has passed.
  throttle.record_failure("late", "late-addr", kT0 + kWindowMs + 10);
  EXPECT_EQ(throttle.tracked_keys(), 2U);
}

}  // namespace
}  // namespace routerly::auth
