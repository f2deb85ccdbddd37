#include "routing/pinning.hpp"

#include <gtest/gtest.h>

namespace routerly::routing {
namespace {

std::vector<RankedModel> ranked_of(std::vector<std::string> models) {
  std::vector<RankedModel> out;
  double score = 1.0;
  for (auto& m : models) out.push_back(RankedModel{std::move(m), score -= 0.1, {}});
  return out;
}

std::vector<std::string> order(const std::vector<RankedModel>& ranked) {
  std::vector<std::string> out;
  for (const auto& r : ranked) out.push_back(r.model);
  return out;
}

const std::vector<std::string> kProject{"A", "B", "C"};

TEST(Pinning, NamedProjectModelGoesFirstAndRoutingOrderFollows) {
  auto ranked = ranked_of({"A", "B", "C"});
  auto pin = pin_named_model(ranked, "C", kProject, "");
  ASSERT_TRUE(pin);
  EXPECT_TRUE(pin->applied);
  EXPECT_EQ(pin->routed_rank, 3u);
  EXPECT_EQ(order(ranked), (std::vector<std::string>{"C", "A", "B"}));
  auto entry = pin_trace_entry(*pin);
  EXPECT_EQ(entry.at("message").as_string(), "router:pinned");
  EXPECT_EQ(entry.at("details").as_object().at("model").as_string(), "C");
  EXPECT_EQ(entry.at("details").as_object().at("routedRank").as_int64(), 3);
}

TEST(Pinning, AlreadyFirstKeepsTheOrder) {
  auto ranked = ranked_of({"B", "A", "C"});
  auto pin = pin_named_model(ranked, "B", kProject, "");
  ASSERT_TRUE(pin && pin->applied);
  EXPECT_EQ(pin->routed_rank, 1u);
  EXPECT_EQ(order(ranked), (std::vector<std::string>{"B", "A", "C"}));
}

TEST(Pinning, OtherNamesLeaveTheChoiceToRouting) {
  for (std::string_view name : {"auto", "", "gpt-4o", "my-project", "a", "A "}) {
    auto ranked = ranked_of({"A", "B", "C"});
    EXPECT_FALSE(pin_named_model(ranked, name, kProject, "")) << name;
    EXPECT_EQ(order(ranked), (std::vector<std::string>{"A", "B", "C"})) << name;
  }
}

TEST(Pinning, ModelRuledOutByRoutingIsNotPinnedAndSaysWhy) {
  auto ranked = ranked_of({"A", "C"});
  auto pin = pin_named_model(ranked, "B", kProject, "excluded by policy context");
  ASSERT_TRUE(pin);
  EXPECT_FALSE(pin->applied);
  EXPECT_EQ(order(ranked), (std::vector<std::string>{"A", "C"}));
  auto details = pin_trace_entry(*pin).at("details").as_object();
  EXPECT_FALSE(details.at("applied").as_bool());
  EXPECT_EQ(details.at("reason").as_string(), "excluded by policy context");
  EXPECT_FALSE(details.contains("routedRank"));
}

}  // namespace
}  // namespace routerly::routing
