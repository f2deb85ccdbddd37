#include "usage/cost.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace {

using namespace routerly::usage;

Prices prices(const char* cost_json) {
  return prices_of_model(boost::json::object{{"id", "m"}, {"cost", boost::json::parse(cost_json)}});
}

TEST(Cost, CachedTokensAtCachePrice) {
  auto p = prices(R"({"inputPerMillion":2.5,"outputPerMillion":10,"cachePerMillion":1.25})");
  Cost c = compute_cost(p, Tokens{.input = 1000, .output = 500, .cached = 200});
  EXPECT_DOUBLE_EQ(c.input, 0.00225);  // 800 plain · 2.5 + 200 cached · 1.25
  EXPECT_DOUBLE_EQ(c.output, 0.005);
  EXPECT_DOUBLE_EQ(c.total, 0.00725);
  EXPECT_DOUBLE_EQ(c.price_input, 2.5);
  EXPECT_DOUBLE_EQ(c.price_output, 10);
}

TEST(Cost, CacheReadAndWritePrices) {
  auto p = prices(
      R"({"inputPerMillion":3,"outputPerMillion":15,"cachePerMillion":0.3,"cacheWritePerMillion":3.75})");
  Cost c = compute_cost(p, Tokens{.input = 10000, .output = 1000, .cached = 4000, .cache_creation = 2000});
  EXPECT_DOUBLE_EQ(c.input, 0.0207);  // 0.012 plain + 0.0012 read + 0.0075 write
  EXPECT_DOUBLE_EQ(c.output, 0.015);
  EXPECT_DOUBLE_EQ(c.total, 0.0357);
}

TEST(Cost, CachePricesFallBackToInputPrice) {
  auto p = prices(R"({"inputPerMillion":1,"outputPerMillion":2})");
  EXPECT_FALSE(p.cache_read.has_value());
  EXPECT_FALSE(p.cache_write.has_value());
  Cost c = compute_cost(p, Tokens{.input = 1000, .output = 0, .cached = 100, .cache_creation = 100});
  EXPECT_DOUBLE_EQ(c.total, 0.001);
  EXPECT_DOUBLE_EQ(c.output, 0);
}

TEST(Cost, TierWithLargestAboveStrictlyBelowInputApplies) {
  auto p = prices(R"({"inputPerMillion":1.25,"outputPerMillion":10,"cachePerMillion":0.125,
      "pricingTiers":[{"metric":"context_tokens","above":200000,"inputPerMillion":2.5,"outputPerMillion":15,
                       "cachePerMillion":0.25},
                      {"metric":"context_tokens","above":100000,"inputPerMillion":2,"outputPerMillion":12}]})");
  ASSERT_EQ(p.tiers.size(), 2u);

  Cost base = compute_cost(p, Tokens{.input = 100000, .output = 0});  // not above 100000
  EXPECT_DOUBLE_EQ(base.total, 0.125);
  EXPECT_DOUBLE_EQ(base.price_input, 1.25);

  Cost middle = compute_cost(p, Tokens{.input = 200000, .output = 1000, .cached = 1000});
  EXPECT_DOUBLE_EQ(middle.price_input, 2);
  EXPECT_DOUBLE_EQ(middle.price_output, 12);
  EXPECT_DOUBLE_EQ(middle.input, 0.4);  // the tier has no cache price: cached at the tier input price
  EXPECT_DOUBLE_EQ(middle.output, 0.012);
  EXPECT_DOUBLE_EQ(middle.total, 0.412);

  Cost top = compute_cost(p, Tokens{.input = 200001, .output = 0, .cached = 1});
  EXPECT_DOUBLE_EQ(top.price_input, 2.5);
  EXPECT_DOUBLE_EQ(top.price_output, 15);
  EXPECT_DOUBLE_EQ(top.total, 0.50000025);  // 200000 · 2.5 + 1 · 0.25
}

TEST(Cost, CacheWriteIsNotTiered) {
  auto p = prices(R"({"inputPerMillion":1,"outputPerMillion":1,"cacheWritePerMillion":4,
      "pricingTiers":[{"metric":"context_tokens","above":10,"inputPerMillion":2,"outputPerMillion":2}]})");
  Cost c = compute_cost(p, Tokens{.input = 1000000, .output = 0, .cache_creation = 500000});
  EXPECT_DOUBLE_EQ(c.total, 3.0);  // 500000 · 2 + 500000 · 4
}

TEST(Cost, RoundsToNineDecimals) {
  auto p = prices(R"({"inputPerMillion":1.2345678,"outputPerMillion":0.0004})");
  Cost c = compute_cost(p, Tokens{.input = 1, .output = 1});
  EXPECT_DOUBLE_EQ(c.input, 0.000001235);
  EXPECT_DOUBLE_EQ(c.output, 0);  // 4e-10 rounds away
  EXPECT_DOUBLE_EQ(c.total, 0.000001235);
}

TEST(Cost, ZeroTokensCostNothingAndCachedNeverExceedsInput) {
  auto p = prices(R"({"inputPerMillion":5,"outputPerMillion":5})");
  EXPECT_DOUBLE_EQ(compute_cost(p, Tokens{}).total, 0);
  // A provider reporting more cached than input tokens: no negative plain part.
  EXPECT_DOUBLE_EQ(compute_cost(p, Tokens{.input = 10, .output = 0, .cached = 20}).total, 0.0001);
}

TEST(Cost, PricesOfModelIgnoresMissingOrMalformedCost) {
  Prices none = prices_of_model(boost::json::object{{"id", "m"}});
  EXPECT_EQ(none.input, 0);
  EXPECT_EQ(none.output, 0);
  EXPECT_TRUE(none.tiers.empty());
  Prices bad = prices(R"({"inputPerMillion":"cheap","outputPerMillion":3,
      "pricingTiers":[{"metric":"other","above":5,"inputPerMillion":9,"outputPerMillion":9},
                      {"above":"x"}, 7]})");
  EXPECT_EQ(bad.input, 0);
  EXPECT_EQ(bad.output, 3);
  EXPECT_TRUE(bad.tiers.empty());
}

}  // namespace
