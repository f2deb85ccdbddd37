#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

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

}  // namespace
}  // namespace routerly::ids
