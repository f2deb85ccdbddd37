#include "budget/resolve.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"

namespace routerly::budget {
namespace {

using test::obj;
using test::World;

std::vector<std::string> describe(const std::vector<EffectiveLimit>& limits) {
  std::vector<std::string> out;
  for (const auto& l : limits)
    out.push_back(l.level + " " + l.name + " " + l.spec.metric + " " +
                  std::to_string(static_cast<int>(l.spec.value)));
  return out;
}

const char* kModelLimit = R"([{"metric":"cost","windowType":"period","period":"monthly","value":100}])";
const char* kProjectLimit = R"([{"metric":"calls","windowType":"period","period":"daily","value":10}])";
const char* kTokenLimit = R"([{"metric":"input_tokens","windowType":"period","period":"daily","value":7}])";

World with_model_levels(std::string_view project_mode, std::string_view token_mode) {
  World w;
  w.model1["limits"] = boost::json::parse(kModelLimit);
  auto& pref = w.project["models"].as_array()[0].as_object();
  pref["limits"] = boost::json::parse(kProjectLimit);
  if (!project_mode.empty()) pref["limitsMode"] = project_mode;
  w.token["models"] = boost::json::array{obj(R"({"modelId":"m1"})")};
  auto& tref = w.token["models"].as_array()[0].as_object();
  tref["limits"] = boost::json::parse(kTokenLimit);
  if (!token_mode.empty()) tref["limitsMode"] = token_mode;
  return w;
}

TEST(Resolve, NoLimitsAnywhere) {
  World w;
  EXPECT_TRUE(effective_limits(*w.snap(), "m1", "p1", "t1").empty());
}

TEST(Resolve, HierarchyLevelsAllApply) {
  World w;
  w.settings["budgets"] =
      boost::json::parse(R"([{"metric":"cost","windowType":"period","period":"monthly","value":50}])");
  w.project["budgets"] =
      boost::json::parse(R"([{"metric":"cost","windowType":"period","period":"monthly","value":5}])");
  w.token["limits"] =
      boost::json::parse(R"([{"metric":"calls","windowType":"period","period":"daily","value":3}])");
  auto limits = effective_limits(*w.snap(), "m1", "my-app", "t1");  // project by slug
  EXPECT_EQ(describe(limits),
            (std::vector<std::string>{"global global cost 50", "project my-app cost 5", "token t1 calls 3"}));
  EXPECT_EQ(limits[0].scope, global_scope());
  EXPECT_EQ(limits[1].scope, project_scope("p1"));
  EXPECT_EQ(limits[2].scope, token_scope("t1"));
  // limitsMode disable turns the token's own budget off; outer levels stay.
  w.token["limitsMode"] = "disable";
  EXPECT_EQ(describe(effective_limits(*w.snap(), "m1", "p1", "t1")),
            (std::vector<std::string>{"global global cost 50", "project my-app cost 5"}));
}

TEST(Resolve, ReplaceIsTheDefault) {
  auto limits = effective_limits(*with_model_levels("", "").snap(), "m1", "p1", "t1");
  EXPECT_EQ(describe(limits), (std::vector<std::string>{"token-model t1/m1 input_tokens 7"}));
  EXPECT_EQ(limits[0].scope, project_model_scope("p1", "m1"));
}

TEST(Resolve, ExtendStacksOnTheLevelBelow) {
  EXPECT_EQ(describe(effective_limits(*with_model_levels("extend", "extend").snap(), "m1", "p1", "t1")),
            (std::vector<std::string>{"token-model t1/m1 input_tokens 7", "project-model my-app/m1 calls 10",
                                      "model m1 cost 100"}));
  EXPECT_EQ(
      describe(effective_limits(*with_model_levels("replace", "extend").snap(), "m1", "p1", "t1")),
      (std::vector<std::string>{"token-model t1/m1 input_tokens 7", "project-model my-app/m1 calls 10"}));
}

TEST(Resolve, DisableClearsEvenWithoutLimits) {
  World w = with_model_levels("disable", "");
  w.token["models"] = boost::json::array{};
  EXPECT_TRUE(effective_limits(*w.snap(), "m1", "p1", "t1").empty());
  // disable at the project level, then the token adds its own.
  EXPECT_EQ(describe(effective_limits(*with_model_levels("disable", "extend").snap(), "m1", "p1", "t1")),
            (std::vector<std::string>{"token-model t1/m1 input_tokens 7"}));
  EXPECT_TRUE(effective_limits(*with_model_levels("extend", "disable").snap(), "m1", "p1", "t1").empty());
}

TEST(Resolve, EmptyLevelListIsTransparent) {
  World w = with_model_levels("replace", "replace");
  w.project["models"].as_array()[0].as_object()["limits"] = boost::json::array{};
  w.token["models"] = boost::json::array{};
  EXPECT_EQ(describe(effective_limits(*w.snap(), "m1", "p1", "t1")),
            (std::vector<std::string>{"model m1 cost 100"}));
  // Without a token (routing pre-filter of /v1/messages) the token level is absent.
  EXPECT_EQ(describe(effective_limits(*with_model_levels("extend", "").snap(), "m1", "p1", "")),
            (std::vector<std::string>{"project-model my-app/m1 calls 10", "model m1 cost 100"}));
}

TEST(Resolve, LegacyThresholds) {
  World w;
  w.model2["globalThresholds"] = obj(R"({"daily":1,"monthly":20})");
  EXPECT_EQ(describe(effective_limits(*w.snap(), "m2", "p1", "t1")),
            (std::vector<std::string>{"model m2 cost 1", "model m2 cost 20"}));
  w.project["models"].as_array()[1].as_object()["thresholds"] = obj(R"({"weekly":4})");
  auto limits = effective_limits(*w.snap(), "m2", "p1", "t1");
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0].spec.window.period, "weekly");
  EXPECT_EQ(limits[0].level, "project-model");
}

TEST(Resolve, RowScopes) {
  auto r = test::row(1000);
  EXPECT_EQ(scopes_of(r), (std::vector<std::string>{global_scope(), project_scope("p1"),
                                                    project_model_scope("p1", "m1"), token_scope("t1")}));
}

}  // namespace
}  // namespace routerly::budget
