#include <gtest/gtest.h>

#include "fakes.hpp"
#include "routing/policies/common.hpp"

namespace routerly::routing {
namespace {

namespace json = boost::json;
using namespace routing::policies;
using test::FakeStats;
using test::point_of;
using test::Pool;
using test::run;

constexpr int64_t kNow = 10'000'000;
constexpr int64_t kMin = 60'000;

TEST(ContextPolicy, ScalesAndExcludes) {
  Pool pool;
  pool.add("none");
  pool.add("big", json::object{{"contextWindow", 1000}});
  pool.add("tight", json::object{{"contextWindow", 110}});
  pool.add("small", json::object{{"contextWindow", 100}});
  RequestFeatures f;
  f.chars = 397;  // est = ceil(397/4) = 100
  FakeStats stats;
  PolicyOutcome out = run(&evaluate_context, pool, stats, f);
  EXPECT_DOUBLE_EQ(point_of(out, "none"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "big"), 1.0);
  // u = 100/110 = 0.90909 → 1 − (0.10909/0.2)·0.9
  EXPECT_NEAR(point_of(out, "tight"), 1.0 - ((100.0 / 110 - 0.8) / 0.2) * 0.9, 1e-12);
  EXPECT_DOUBLE_EQ(point_of(out, "small"), 0.0);
  EXPECT_EQ(out.excludes, std::vector<std::string>{"small"});
}

TEST(CheapestPolicy, PaidRelativeToCheapest) {
  Pool pool;
  pool.add("a", json::object{{"cost", json::object{{"inputPerMillion", 1}, {"outputPerMillion", 3}}}});
  pool.add("b", json::object{{"cost", json::object{{"inputPerMillion", 4}, {"outputPerMillion", 4}}}});
  FakeStats stats;
  PolicyOutcome out = run(&evaluate_cheapest, pool, stats, {});
  EXPECT_DOUBLE_EQ(point_of(out, "a"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "b"), 0.5);
  EXPECT_TRUE(out.excludes.empty());
}

TEST(CheapestPolicy, FreeModelCapsPaidAtHalf) {
  Pool pool;
  pool.add("free");
  pool.add("a", json::object{{"cost", json::object{{"inputPerMillion", 1}, {"outputPerMillion", 3}}}});
  pool.add("b", json::object{{"cost", json::object{{"inputPerMillion", 4}, {"outputPerMillion", 4}}}});
  FakeStats stats;
  PolicyOutcome out = run(&evaluate_cheapest, pool, stats, {});
  EXPECT_DOUBLE_EQ(point_of(out, "free"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "a"), 0.5);
  EXPECT_DOUBLE_EQ(point_of(out, "b"), 0.25);
}

TEST(HealthPolicy, DecayedSmoothedErrorRate) {
  Pool pool;
  pool.add("fresh");
  pool.add("mixed");
  FakeStats stats;
  // two calls now: one error, one success → E=1, T=2, smoothed = 1/(2+2) = 0.25
  stats.add("mixed", kNow, "error");
  stats.add("mixed", kNow, "success");
  // outside the 20-minute window: ignored
  stats.add("mixed", kNow - 21 * kMin, "error");
  PolicyOutcome out = run(&evaluate_health, pool, stats, {});
  EXPECT_DOUBLE_EQ(point_of(out, "fresh"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "mixed"), 0.75);
  EXPECT_TRUE(out.excludes.empty());
}

TEST(HealthPolicy, HalfLifeWeighsOldCallsLess) {
  Pool pool;
  pool.add("m");
  FakeStats stats;
  stats.add("m", kNow - 5 * kMin, "timeout");  // w = 0.5
  stats.add("m", kNow, "success");             // w = 1
  PolicyOutcome out = run(&evaluate_health, pool, stats, {});
  EXPECT_NEAR(point_of(out, "m"), 1.0 - 0.5 / (1.5 + 2), 1e-12);
}

TEST(HealthPolicy, CircuitBreakerExcludes) {
  Pool pool;
  pool.add("down");
  pool.add("budget");
  FakeStats stats;
  for (int i = 0; i < 3; ++i) stats.add("down", kNow - i * 1000, "error");
  stats.add("budget", kNow, "budget_exceeded");  // budget skips count as errors
  json::object config{{"circuitBreaker", 0.9}, {"pseudoCounts", 0}};
  PolicyOutcome out = run(&evaluate_health, pool, stats, {}, config);
  EXPECT_DOUBLE_EQ(point_of(out, "down"), 0.0);
  EXPECT_DOUBLE_EQ(point_of(out, "budget"), 0.0);
  EXPECT_EQ(out.excludes, (std::vector<std::string>{"down", "budget"}));
}

TEST(PerformancePolicy, RelativeToFastestDecayedMean) {
  Pool pool;
  pool.add("fast");
  pool.add("slow");
  pool.add("unknown");
  FakeStats stats;
  stats.add("fast", kNow, "success", 100);
  stats.add("slow", kNow, "success", 200);
  stats.add("slow", kNow, "error", 10);                // errors ignored
  stats.add("slow", kNow - 5 * kMin, "success", 500);  // weight 0.5 → (200 + 250)/1.5 = 300
  PolicyOutcome out = run(&evaluate_performance, pool, stats, {});
  EXPECT_DOUBLE_EQ(point_of(out, "fast"), 1.0);
  EXPECT_NEAR(point_of(out, "slow"), 100.0 / 300.0, 1e-12);
  EXPECT_DOUBLE_EQ(point_of(out, "unknown"), 1.0);
}

TEST(PerformancePolicy, PlainMeanWithZeroHalfLifeAndMinSamples) {
  Pool pool;
  pool.add("fast");
  pool.add("slow");
  FakeStats stats;
  stats.add("fast", kNow, "success", 100);
  stats.add("slow", kNow, "success", 200);
  stats.add("slow", kNow - 5 * kMin, "success", 400);
  PolicyOutcome plain = run(&evaluate_performance, pool, stats, {}, json::object{{"halfLifeMinutes", 0}});
  EXPECT_NEAR(point_of(plain, "slow"), 100.0 / 300.0, 1e-12);
  // minSamples 2: only `slow` has data → fewer than two models → everyone 1.0
  PolicyOutcome sparse = run(&evaluate_performance, pool, stats, {}, json::object{{"minSamples", 2}});
  EXPECT_DOUBLE_EQ(point_of(sparse, "slow"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(sparse, "fast"), 1.0);
}

TEST(CapabilityPolicy, ExplicitFalseExcludes) {
  Pool pool;
  pool.add("absent");
  pool.add("novision", json::object{{"capabilities", json::object{{"vision", false}, {"json", true}}}});
  pool.add("notools", json::object{{"capabilities", json::object{{"functionCalling", false}}}});
  RequestFeatures f;
  f.needs_vision = true;
  FakeStats stats;
  PolicyOutcome out = run(&evaluate_capability, pool, stats, f);
  EXPECT_DOUBLE_EQ(point_of(out, "absent"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "novision"), 0.0);
  EXPECT_DOUBLE_EQ(point_of(out, "notools"), 1.0);
  EXPECT_EQ(out.excludes, std::vector<std::string>{"novision"});
  EXPECT_EQ(json::serialize(out.details.at("incompatible")),
            R"([{"model":"novision","missing":["vision"]}])");
}

json::object calls_limited() {
  return json::object{{"limits", json::array{json::object{{"metric", "calls"}, {"value", 100}}}}};
}

TEST(RateLimitPolicy, OnlyCallsLimitedModelsAreScored) {
  Pool pool;
  pool.add("free");
  pool.add("busy", calls_limited());
  pool.add("quiet", calls_limited());
  pool.add("idle", calls_limited());
  FakeStats stats;
  for (int i = 0; i < 4; ++i) stats.add("busy", kNow - 1000, "success");
  for (int i = 0; i < 4; ++i) stats.add("free", kNow - 1000, "success");
  stats.add("quiet", kNow - 1000, "error");
  stats.add("quiet", kNow - 2000, "success");
  stats.add("idle", kNow - 2 * kMin, "success");  // outside the 1-minute window
  PolicyOutcome out = run(&evaluate_rate_limit, pool, stats, {});
  EXPECT_DOUBLE_EQ(point_of(out, "free"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "busy"), 0.5);
  EXPECT_DOUBLE_EQ(point_of(out, "quiet"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "idle"), 1.0);
  EXPECT_TRUE(out.excludes.empty());
}

TEST(RateLimitPolicy, MaxCallsExcludes) {
  Pool pool;
  pool.add("busy", calls_limited());
  pool.add("quiet", calls_limited());
  pool.add("free");
  FakeStats stats;
  for (int i = 0; i < 3; ++i) stats.add("busy", kNow, "success");
  for (int i = 0; i < 3; ++i) stats.add("free", kNow, "success");
  stats.add("quiet", kNow, "success");
  PolicyOutcome out = run(&evaluate_rate_limit, pool, stats, {}, json::object{{"maxCallsPerWindow", 3}});
  EXPECT_DOUBLE_EQ(point_of(out, "busy"), 0.0);
  EXPECT_DOUBLE_EQ(point_of(out, "quiet"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "free"), 1.0);
  EXPECT_EQ(out.excludes, std::vector<std::string>{"busy"});
}

TEST(FairnessPolicy, ShareOfThisProjectsSuccesses) {
  Pool pool;
  pool.add("a");
  pool.add("b");
  FakeStats stats;
  for (int i = 0; i < 3; ++i) stats.add("a", kNow, "success", 100, "p1");
  stats.add("b", kNow, "success", 100, "p1");
  stats.add("b", kNow, "error", 100, "p1");                // not successful
  stats.add("b", kNow, "success", 100, "other");           // other project
  stats.add("b", kNow - 61 * kMin, "success", 100, "p1");  // outside the window
  PolicyOutcome out = run(&evaluate_fairness, pool, stats, {});
  EXPECT_DOUBLE_EQ(point_of(out, "a"), 0.25);
  EXPECT_DOUBLE_EQ(point_of(out, "b"), 0.75);
}

TEST(FairnessPolicy, NoHistoryAllOne) {
  Pool pool;
  pool.add("a");
  pool.add("b");
  FakeStats stats;
  PolicyOutcome out = run(&evaluate_fairness, pool, stats, {});
  EXPECT_DOUBLE_EQ(point_of(out, "a"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "b"), 1.0);
}

TEST(BudgetRemainingPolicy, TightestSnapshotWins) {
  Pool pool;
  pool.add("unlimited");
  auto& half = pool.add("half");
  half.limits.push_back(budget::LimitState{"model", "half", "cost", "daily", 10, 5, 5});
  half.limits.push_back(budget::LimitState{"project", "p1", "calls", "monthly", 100, 20, 80});
  auto& spent = pool.add("spent");
  spent.limits.push_back(budget::LimitState{"model", "spent", "cost", "daily", 10, 12, -2});
  auto& zero = pool.add("zero");
  zero.limits.push_back(budget::LimitState{"model", "zero", "calls", "daily", 0, 0, 0});
  FakeStats stats;
  PolicyOutcome out = run(&evaluate_budget_remaining, pool, stats, {});
  EXPECT_DOUBLE_EQ(point_of(out, "unlimited"), 1.0);
  EXPECT_DOUBLE_EQ(point_of(out, "half"), 0.5);
  EXPECT_DOUBLE_EQ(point_of(out, "spent"), 0.0);
  EXPECT_DOUBLE_EQ(point_of(out, "zero"), 0.0);
  EXPECT_TRUE(out.excludes.empty());
}

TEST(PolicyRegistry, KnowsEveryType) {
  for (std::string_view t : {"context", "cheapest", "health", "performance", "capability", "rate-limit",
                             "fairness", "budget-remaining"})
    EXPECT_NE(pure_policy(t), nullptr) << t;
  EXPECT_EQ(pure_policy("llm"), nullptr);
  EXPECT_TRUE(is_async_policy("semantic-intent"));
  EXPECT_TRUE(is_known_policy("llm"));
  EXPECT_FALSE(is_known_policy("random"));
}

}  // namespace
}  // namespace routerly::routing
