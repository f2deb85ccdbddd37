#include <gtest/gtest.h>

#include "gateway/routing_memory.hpp"

namespace routerly::gateway {
namespace {

TEST(RoutingMemory, KeepsLastEntriesPerProjectConversation) {
  RoutingMemory memory;
  for (int i = 0; i < 60; ++i) memory.remember("p1", "c1", "m" + std::to_string(i), 1000 + i);
  memory.remember("p2", "c1", "other", 1000);
  auto recent = memory.recent("p1", "c1", 3, 2000);
  EXPECT_EQ(recent, (std::vector<std::string>{"m57", "m58", "m59"}));
  auto all = memory.recent("p1", "c1", 100, 2000);
  ASSERT_EQ(all.size(), RoutingMemory::kMaxEntries);
  EXPECT_EQ(all.front(), "m10");
  EXPECT_EQ(memory.recent("p2", "c1", 5, 2000), (std::vector<std::string>{"other"}));
  EXPECT_TRUE(memory.recent("p1", "c2", 5, 2000).empty());
}

TEST(RoutingMemory, EntriesExpireAfterAnHour) {
  RoutingMemory memory;
  memory.remember("p", "c", "old", 0);
  memory.remember("p", "c", "new", RoutingMemory::kTtlMs / 2);
  EXPECT_EQ(memory.recent("p", "c", 5, RoutingMemory::kTtlMs - 1), (std::vector<std::string>{"old", "new"}));
  EXPECT_EQ(memory.recent("p", "c", 5, RoutingMemory::kTtlMs), (std::vector<std::string>{"new"}));
}

TEST(RoutingMemory, EmptyConversationIsIgnored) {
  RoutingMemory memory;
  memory.remember("p", "", "m", 0);
  EXPECT_TRUE(memory.recent("p", "", 5, 0).empty());
}

}  // namespace
}  // namespace routerly::gateway
