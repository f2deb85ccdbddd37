#include "routing/engine.hpp"

#include <gtest/gtest.h>

#include "fakes.hpp"

namespace routerly::routing {
namespace {

namespace json = boost::json;
using test::FakeStats;
using test::Pool;

PolicyOutcome ready(std::string type, std::vector<std::pair<std::string, double>> points,
                    std::vector<std::string> excludes = {}) {
  PolicyOutcome out;
  out.type = std::move(type);
  for (auto& [m, p] : points) out.routing.push_back(PolicyPoint{m, p, std::nullopt});
  out.excludes = std::move(excludes);
  return out;
}

struct Fixture {
  Pool pool;
  FakeStats stats;
  EngineInput input;
  explicit Fixture(std::vector<std::string> models) {
    for (const auto& m : models) pool.add(m);
    input.candidates = pool.candidates;
    input.stats = &stats;
    input.project_id = "p1";
    input.now_ms = 1'000'000;
  }
  void policy(std::string type, std::optional<PolicyOutcome> outcome, json::object config = {}) {
    input.policies.push_back(PolicySpec{std::move(type), std::move(config)});
    input.ready.push_back(std::move(outcome));
  }
};

const json::object* find_entry(const json::array& trace, std::string_view message) {
  for (const auto& e : trace)
    if (e.as_object().at("message").as_string() == message) return &e.as_object().at("details").as_object();
  return nullptr;
}

TEST(Engine, WorkedExampleWeightedMean) {
  Fixture f({"A", "B"});
  f.policy("health", ready("health", {{"A", 0.9}, {"B", 0.5}}));
  f.policy("cheapest", ready("cheapest", {{"A", 0.6}, {"B", 1.0}}));
  f.policy("performance", ready("performance", {{"A", 0.8}, {"B", 0.4}}));
  EngineResult r = run_engine(f.input);
  ASSERT_EQ(r.ranked.size(), 2u);
  EXPECT_EQ(r.ranked[0].model, "A");
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 0.7833);
  EXPECT_DOUBLE_EQ(r.ranked[1].score, 0.65);
  EXPECT_EQ(find_entry(r.trace, "router:abstained"), nullptr);
  const json::object* result = find_entry(r.trace, "policy:result:health");
  ASSERT_NE(result, nullptr);
  EXPECT_DOUBLE_EQ(result->at("weight").to_number<double>(), 3);
  EXPECT_DOUBLE_EQ(result->at("routing").as_array()[0].as_object().at("contribution").as_double(), 2.7);
}

TEST(Engine, AbstainingPolicyContributesNothing) {
  Fixture f({"A", "B"});
  f.policy("health", ready("health", {{"A", 0.9}, {"B", 0.5}}));
  f.policy("cheapest", ready("cheapest", {{"A", 0.6}, {"B", 1.0}}));
  f.policy("performance", ready("performance", {{"A", 1.0}, {"B", 1.0}}));
  EngineResult r = run_engine(f.input);
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 0.78);
  EXPECT_DOUBLE_EQ(r.ranked[1].score, 0.7);
  const json::object* abstained = find_entry(r.trace, "router:abstained");
  ASSERT_NE(abstained, nullptr);
  EXPECT_EQ(json::serialize(abstained->at("policies")), R"(["performance"])");
}

TEST(Engine, RealPureCheapestPolicyRunsInside) {
  Fixture f({"pricey", "cheap"});
  f.pool.docs[0]->operator[]("cost") = json::object{{"inputPerMillion", 10}, {"outputPerMillion", 30}};
  f.pool.docs[1]->operator[]("cost") = json::object{{"inputPerMillion", 1}, {"outputPerMillion", 3}};
  f.policy("cheapest", std::nullopt);
  EngineResult r = run_engine(f.input);
  EXPECT_EQ(r.ranked[0].model, "cheap");
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 1.0);
  EXPECT_DOUBLE_EQ(r.ranked[1].score, 0.1);
}

TEST(Engine, TiesKeepProjectOrderAndAreReported) {
  Fixture f({"A", "B", "C"});
  f.policy("health", ready("health", {{"A", 0.5}, {"B", 0.9}, {"C", 0.9}}));
  EngineResult r = run_engine(f.input);
  EXPECT_EQ(r.ranked[0].model, "B");
  EXPECT_EQ(r.ranked[1].model, "C");
  EXPECT_EQ(r.ranked[2].model, "A");
  const json::object* result = find_entry(r.trace, "router:result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(json::serialize(result->at("tiedWinners")), R"(["B","C"])");
  EXPECT_EQ(find_entry(r.trace, "router:recap")->at("tie").as_object().at("count").as_int64(), 2);
}

TEST(Engine, AllAbstainUsesInjectedRandom) {
  Fixture f({"A", "B", "C"});
  f.policy("health", ready("health", {{"A", 1.0}, {"B", 1.0}, {"C", 1.0}}));
  std::vector<double> draws{0.1, 0.9, 0.5};
  std::size_t next = 0;
  f.input.random = [&] { return draws[next++]; };
  EngineResult r = run_engine(f.input);
  ASSERT_EQ(next, 3u);
  EXPECT_EQ(r.ranked[0].model, "B");
  EXPECT_EQ(r.ranked[1].model, "C");
  EXPECT_EQ(r.ranked[2].model, "A");
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 0.9);
}

TEST(Engine, NoPoliciesKeepsProjectOrder) {
  Fixture f({"A", "B", "C"});
  f.input.random = [] { return 0.5; };
  EngineResult r = run_engine(f.input);
  ASSERT_EQ(r.ranked.size(), 3u);
  EXPECT_EQ(r.ranked[0].model, "A");
  EXPECT_EQ(r.ranked[2].model, "C");
  EXPECT_EQ(find_entry(r.trace, "router:result")->at("note").as_string(), "no_policies_configured_order");
}

TEST(Engine, AllPoliciesFailedIsRandomOrder) {
  Fixture f({"A", "B"});
  f.policy("llm", failed_outcome("llm", "down"));
  f.input.random = [n = 0]() mutable { return n++ == 0 ? 0.2 : 0.7; };
  EngineResult r = run_engine(f.input);
  EXPECT_EQ(r.ranked[0].model, "B");
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 0.7);
}

TEST(Engine, CandidateMissingFromPolicyGetsHalf) {
  // C is not scored by the only (non-abstaining) policy → 0.5, not random.
  Fixture f({"A", "B", "C"});
  f.policy("health", ready("health", {{"A", 0.2}, {"B", 0.8}}));
  f.input.random = [] { return 0.99; };
  EngineResult r = run_engine(f.input);
  EXPECT_EQ(r.ranked[1].model, "C");
  EXPECT_DOUBLE_EQ(r.ranked[1].score, 0.5);
}

TEST(Engine, SingleCandidateBypassRunsNoPolicy) {
  Fixture f({"only"});
  f.input.candidates[0].prompt = "guidance";
  f.policy("health", failed_outcome("health", "must not run"));
  EngineResult r = run_engine(f.input);
  EXPECT_TRUE(r.bypass);
  ASSERT_EQ(r.trace.size(), 1u);
  const json::object& details = r.trace[0].as_object().at("details").as_object();
  EXPECT_EQ(details.at("note").as_string(), "single_candidate_bypass");
  EXPECT_EQ(json::serialize(details.at("final")), R"([{"model":"only","weight":1,"hasPrompt":true}])");
}

TEST(Engine, ExclusionsAreUnionedAndReported) {
  Fixture f({"A", "B", "C"});
  f.policy("health", ready("health", {{"A", 0.0}, {"B", 0.5}, {"C", 0.9}}, {"A"}));
  f.policy("capability", ready("capability", {{"A", 0.0}, {"B", 1.0}, {"C", 0.0}}, {"A", "C"}));
  EngineResult r = run_engine(f.input);
  ASSERT_EQ(r.ranked.size(), 1u);
  EXPECT_EQ(r.ranked[0].model, "B");
  EXPECT_EQ(json::serialize(find_entry(r.trace, "router:excludes")->at("excluded")),
            R"({"A":["health","capability"],"C":["capability"]})");
  // With only B left every policy abstains → random.
  EXPECT_EQ(r.excluded_by.at("A").size(), 2u);
}

TEST(Engine, EverythingExcludedLeavesNothing) {
  Fixture f({"A", "B"});
  f.policy("capability", ready("capability", {{"A", 0.0}, {"B", 0.0}}, {"A", "B"}));
  EngineResult r = run_engine(f.input);
  EXPECT_TRUE(r.ranked.empty());
  EXPECT_EQ(r.excluded_by.size(), 2u);
}

TEST(Engine, FailedPolicyEmitsErrorAndIsIgnored) {
  Fixture f({"A", "B"});
  f.policy("llm", failed_outcome("llm", "llm policy: all models failed [x]"));
  f.policy("health", ready("health", {{"A", 0.4}, {"B", 0.8}}));
  EngineResult r = run_engine(f.input);
  const json::object* err = find_entry(r.trace, "policy:error:llm");
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->at("error").as_string(), "llm policy: all models failed [x]");
  EXPECT_EQ(r.ranked[0].model, "B");
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 0.8);
  EXPECT_TRUE(r.policies[0].as_object().at("failed").as_bool());
  EXPECT_DOUBLE_EQ(r.policies[1].as_object().at("point").as_double(), 0.8);
  EXPECT_DOUBLE_EQ(r.policies[1].as_object().at("weight").to_number<double>(), 1);
}

TEST(Engine, NanPointCountsAsHalf) {
  Fixture f({"A", "B"});
  f.policy("llm", ready("llm", {{"A", std::nan("")}, {"B", 0.3}}));
  EngineResult r = run_engine(f.input);
  EXPECT_EQ(r.ranked[0].model, "A");
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 0.5);
}

TEST(Engine, PointsAreNotClamped) {
  Fixture f({"A", "B"});
  f.policy("llm", ready("llm", {{"A", 1.3}, {"B", 0.3}}));
  EXPECT_DOUBLE_EQ(run_engine(f.input).ranked[0].score, 1.3);
}

TEST(Engine, PoliciesEntryRedactsSecrets) {
  Fixture f({"A", "B"});
  f.policy("semantic-intent", ready("semantic-intent", {{"A", 1}, {"B", 1}}),
           json::object{{"embedding_api_key", "sk-secret"},
                        {"nested", json::object{{"Password", "x"}, {"ok", 1}}},
                        {"embedding_model", "m"}});
  EngineResult r = run_engine(f.input);
  const json::object* p = find_entry(r.trace, "router:policies");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(json::serialize(p->at("policies").as_array()[0].as_object().at("config")),
            R"({"embedding_api_key":"***","nested":{"Password":"***","ok":1},"embedding_model":"m"})");
  EXPECT_EQ(json::serialize(p->at("candidates")), R"(["A","B"])");
}

TEST(Engine, ResultTruncatesPrompt) {
  Fixture f({"A", "B"});
  f.input.candidates[0].prompt = std::string(130, 'x');
  f.policy("health", ready("health", {{"A", 0.9}, {"B", 0.1}}));
  EngineResult r = run_engine(f.input);
  const auto& final = find_entry(r.trace, "router:result")->at("final").as_array();
  EXPECT_EQ(final[0].as_object().at("prompt").as_string(), std::string(120, 'x') + "…");
  EXPECT_FALSE(final[1].as_object().contains("prompt"));
}

TEST(Engine, AsyncPolicyTraceComesBeforeItsResult) {
  Fixture f({"A", "B"});
  PolicyOutcome llm = ready("llm", {{"A", 0.2}, {"B", 0.9}});
  llm.trace.push_back(json::object{
      {"panel", "router-response"}, {"message", "llm-policy:scores"}, {"details", json::object{}}});
  f.policy("llm", llm);
  EngineResult r = run_engine(f.input);
  ASSERT_GE(r.trace.size(), 3u);
  EXPECT_EQ(r.trace[1].as_object().at("message").as_string(), "llm-policy:scores");
  EXPECT_EQ(r.trace[2].as_object().at("message").as_string(), "policy:result:llm");
}

}  // namespace
}  // namespace routerly::routing
