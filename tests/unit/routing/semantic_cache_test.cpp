#include <gtest/gtest.h>

#include "routing/semantic/centroid_cache.hpp"

namespace routerly::routing::semantic {
namespace {

TEST(CentroidCache, KeyIgnoresExampleOrderButNotContent) {
  auto k1 = CentroidCache::key("emb", "code", {"b", "a"});
  auto k2 = CentroidCache::key("emb", "code", {"a", "b"});
  EXPECT_EQ(k1, k2);
  EXPECT_NE(k1, CentroidCache::key("emb", "code", {"a", "c"}));
  EXPECT_NE(k1, CentroidCache::key("emb2", "code", {"a", "b"}));
  EXPECT_NE(k1, CentroidCache::key("emb", "chat", {"a", "b"}));
  // Boundaries are part of the key: ["ab"] is not ["a","b"].
  EXPECT_NE(CentroidCache::key("emb", "code", {"ab"}), CentroidCache::key("emb", "code", {"a", "b"}));
}

TEST(CentroidCache, HitThenExpiresAfterAnHour) {
  CentroidCache cache;
  auto key = CentroidCache::key("emb", "code", {"x"});
  EXPECT_FALSE(cache.get(key, 1000));
  cache.put(key, Vector{1, 2}, 1000);
  auto hit = cache.get(key, 1000 + CentroidCache::kTtlMs - 1);
  ASSERT_TRUE(hit);
  EXPECT_EQ(*hit, (Vector{1, 2}));
  EXPECT_FALSE(cache.get(key, 1000 + CentroidCache::kTtlMs));
  EXPECT_EQ(cache.size(), 0u);  // the expired entry was dropped
}

}  // namespace
}  // namespace routerly::routing::semantic
