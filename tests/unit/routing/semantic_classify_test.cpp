#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "routing/semantic/classify.hpp"
#include "routing/semantic/config.hpp"

namespace routerly::routing::semantic {
namespace {

namespace json = boost::json;

SemanticConfig config_of(std::string_view text) {
  auto c = read_semantic_config(json::parse(text).as_object());
  EXPECT_TRUE(c.has_value());
  return c.value_or(SemanticConfig{});
}

const char* kConfig = R"({"embedding_provider":"openai","embedding_model":"emb",
  "intents":{"code":{"examples":["fix bug"],"candidate_models":["big","mid"]},
             "chat":{"examples":["hello"],"candidate_models":["small","absent"]},
             "math":{"examples":["2+2"],"candidate_models":["nowhere"]}}})";

const std::vector<std::string> kCandidates{"small", "mid", "big"};

TEST(SemanticMath, CentroidAndCosine) {
  Vector c = centroid({{1, 0, 2}, {3, 2, 0}});
  EXPECT_EQ(c, (Vector{2, 1, 1}));
  EXPECT_TRUE(centroid({}).empty());
  EXPECT_NEAR(cosine({1, 0}, {1, 0}), 1.0, 1e-12);
  EXPECT_NEAR(cosine({1, 0}, {0, 1}), 0.0, 1e-12);
  EXPECT_NEAR(cosine({1, 1}, {1, 0}), std::sqrt(0.5), 1e-12);
  EXPECT_EQ(cosine({1, 0}, {1, 0, 0}), 0.0);
  EXPECT_EQ(cosine({0, 0}, {1, 0}), 0.0);
}

TEST(SemanticClassify, Confident) {
  std::vector<IntentCentroid> centroids{{"code", {1, 0}}, {"chat", {0, 1}}};
  Classification c = classify({1, 0.1}, centroids, 0.6, 0.08);
  EXPECT_EQ(c.status, Status::confident);
  EXPECT_EQ(c.top_intent, "code");
  EXPECT_EQ(c.second_intent, "chat");
  EXPECT_NEAR(c.margin, c.top_score - c.second_score, 1e-12);
  auto pool = allowed_pool(c, config_of(kConfig), kCandidates);
  EXPECT_EQ(pool, (std::vector<std::string>{"mid", "big"}));  // candidate order

  PolicyOutcome out;
  apply_pool(out, kCandidates, pool);
  ASSERT_EQ(out.routing.size(), 3u);
  EXPECT_EQ(out.routing[0].model, "small");
  EXPECT_EQ(out.routing[0].point, 0.0);
  EXPECT_EQ(out.routing[1].point, 1.0);
  EXPECT_EQ(out.routing[2].point, 1.0);
  EXPECT_EQ(out.excludes, (std::vector<std::string>{"small"}));
}

TEST(SemanticClassify, Ambiguous) {
  std::vector<IntentCentroid> centroids{{"code", {1, 0}}, {"chat", {0, 1}}};
  Classification c = classify({1, 0.98}, centroids, 0.6, 0.08);
  EXPECT_EQ(c.status, Status::ambiguous);
  auto pool = allowed_pool(c, config_of(kConfig), kCandidates);
  EXPECT_EQ(pool, (std::vector<std::string>{"small", "mid", "big"}));  // union of code and chat pools
  auto details = classification_details(c);
  EXPECT_EQ(details.at("status").as_string(), "ambiguous");
  EXPECT_EQ(details.at("topIntent").as_string(), "code");
}

TEST(SemanticClassify, AmbiguousUnionKeepsOnlyTopTwo) {
  // code vs chat ambiguous; math (third) is not part of the union.
  auto config = config_of(R"({"embedding_provider":"openai","embedding_model":"emb",
    "intents":{"a":{"examples":["x"],"candidate_models":["small"]},"b":{"examples":["y"],"candidate_models":["mid"]},
               "c":{"examples":["z"],"candidate_models":["big"]}}})");
  std::vector<IntentCentroid> centroids{{"a", {1, 0, 0}}, {"b", {0.99, 0.1, 0}}, {"c", {0, 0, 1}}};
  Classification c = classify({1, 0.05, 0}, centroids, 0.6, 0.08);
  ASSERT_EQ(c.status, Status::ambiguous);
  EXPECT_EQ(allowed_pool(c, config, kCandidates), (std::vector<std::string>{"small", "mid"}));
}

TEST(SemanticClassify, UnknownBelowThreshold) {
  std::vector<IntentCentroid> centroids{{"code", {1, 0}}, {"chat", {0, 1}}};
  Classification c = classify({1, 1}, centroids, 0.9, 0.08);  // top ≈ 0.707
  EXPECT_EQ(c.status, Status::unknown);
  EXPECT_EQ(allowed_pool(c, config_of(kConfig), kCandidates), kCandidates);
}

TEST(SemanticClassify, NoIntentsIsUnknown) {
  Classification c = classify({1, 0}, {}, 0.6, 0.08);
  EXPECT_EQ(c.status, Status::unknown);
  auto details = classification_details(c);
  EXPECT_TRUE(details.at("topIntent").is_null());
}

TEST(SemanticClassify, SingleIntentSecondIsZero) {
  Classification c = classify({1, 0}, {{"code", {1, 0}}}, 0.6, 0.08);
  EXPECT_EQ(c.status, Status::confident);
  EXPECT_EQ(c.second_score, 0.0);
  EXPECT_TRUE(c.second_intent.empty());
}

TEST(SemanticClassify, EmptyIntersectionMeansAllCandidates) {
  std::vector<IntentCentroid> centroids{{"math", {1, 0}}, {"chat", {0, 1}}};
  Classification c = classify({1, 0}, centroids, 0.6, 0.08);
  ASSERT_EQ(c.status, Status::confident);
  EXPECT_EQ(allowed_pool(c, config_of(kConfig), kCandidates), kCandidates);
}

TEST(SemanticRequestText, LastStringUserElseAll) {
  RequestFeatures f;
  f.last_user_string = "fix my code";
  f.all_string_text = "sys fix my code";
  EXPECT_EQ(request_text(f), "fix my code");
  f.last_user_string.clear();
  EXPECT_EQ(request_text(f), "sys fix my code");
}

TEST(SemanticConfigRead, MisconfiguredAndDefaults) {
  EXPECT_FALSE(read_semantic_config(json::parse(R"({"embedding_model":"e","intents":{}})").as_object()));
  EXPECT_FALSE(
      read_semantic_config(json::parse(R"({"embedding_provider":"openai","intents":{}})").as_object()));
  EXPECT_FALSE(read_semantic_config(
      json::parse(R"({"embedding_provider":"openai","embedding_model":"e"})").as_object()));
  auto c = config_of(kConfig);
  EXPECT_DOUBLE_EQ(c.absolute_threshold, 0.60);
  EXPECT_DOUBLE_EQ(c.ambiguity_threshold, 0.08);
  ASSERT_EQ(c.intents.size(), 3u);
  EXPECT_EQ(c.intents[0].name, "code");  // configured order
  EXPECT_EQ(c.intents[1].candidate_models, (std::vector<std::string>{"small", "absent"}));
}

TEST(SemanticConfigValidate, Fields) {
  auto ok = json::parse(kConfig).as_object();
  EXPECT_TRUE(validate_semantic_config(ok));
  auto with = [&](std::string_view key, json::value v) {
    json::object o = ok;
    o[key] = std::move(v);
    return validate_semantic_config(o);
  };
  auto bad_provider = with("embedding_provider", "cohere");
  ASSERT_FALSE(bad_provider);
  EXPECT_NE(bad_provider.error().message.find("config.embedding_provider"), std::string::npos);
  EXPECT_FALSE(with("absolute_threshold", 1.5));
  EXPECT_FALSE(with("ambiguity_threshold", -0.1));
  EXPECT_TRUE(with("ambiguity_threshold", 0));
  EXPECT_FALSE(with("embedding_model", 3));
  auto bad_intent = with("intents", json::parse(R"({"code":{"examples":["a",1],"candidate_models":[]}})"));
  ASSERT_FALSE(bad_intent);
  EXPECT_NE(bad_intent.error().message.find("config.intents.code.examples[1]"), std::string::npos);
  EXPECT_FALSE(with("intents", json::array{}));
  json::object no_intents = ok;
  no_intents.erase("intents");
  EXPECT_FALSE(validate_semantic_config(no_intents));
}

}  // namespace
}  // namespace routerly::routing::semantic
