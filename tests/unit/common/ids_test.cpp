#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/crypto.hpp"

namespace routerly::ids {
namespace {

const std::regex kV4(R"(^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$)");
const std::regex kV7(R"(^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$)");

int64_t v7_millis(const std::string& id) {
  const std::string hex = id.substr(0, 8) + id.substr(9, 4);
  return std::stoll(hex, nullptr, 16);
}

TEST(Ids, V4Format) {
  crypto::initialize();
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i) {
    const std::string id = uuid_v4();
    EXPECT_TRUE(std::regex_match(id, kV4)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 500U);
}

TEST(Ids, V7FormatAndTimestamp) {
  crypto::initialize();
  const int64_t before = clock::now_ms();
  const std::string id = uuid_v7();
  const int64_t after = clock::now_ms();
  EXPECT_TRUE(std::regex_match(id, kV7)) << id;
  EXPECT_EQ(id[14], '7');
  EXPECT_GE(v7_millis(id), before);
  EXPECT_LE(v7_millis(id), after + 1);
}

TEST(Ids, V7OrdersAcrossMilliseconds) {
  crypto::initialize();
  std::string previous = uuid_v7();
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const std::string next = uuid_v7();
    EXPECT_LT(previous, next);
    EXPECT_LT(v7_millis(previous), v7_millis(next));
    previous = next;
  }
}

TEST(Ids, V7IncreasesWithinOneProcess) {
  crypto::initialize();
  std::string previous = uuid_v7();
  for (int i = 0; i < 10000; ++i) {
    const std::string next = uuid_v7();
    ASSERT_TRUE(std::regex_match(next, kV7)) << next;
    ASSERT_LT(previous, next);
    previous = next;
  }
}

// The random tail (rand_b, after the variant nibble) of every id is fresh, across the blocks
// of buffered randomness and across threads (each thread has its own buffer).
TEST(Ids, V7RandomTailsAreFreshAcrossThreads) {
  crypto::initialize();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < kPerThread; ++i) ids[t].push_back(uuid_v7());
    });
  for (auto& thread : threads) thread.join();
  std::set<std::string> tails;
  std::set<std::string> all;
  for (const auto& list : ids)
    for (const auto& id : list) {
      ASSERT_TRUE(std::regex_match(id, kV7)) << id;
      all.insert(id);
      tails.insert(id.substr(20));  // 12 hex digits, 48 random bits
    }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(tails.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace routerly::ids
