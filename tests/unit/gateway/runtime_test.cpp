#include "gateway/runtime.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace routerly::gateway {
namespace {

using testing::demo_runtime;

TEST(Runtime, CompilesProjectCandidatesInOrderSkippingDisabledAndMissing) {
  auto rt = demo_runtime();
  const ProjectView* project = rt->project("p1");
  ASSERT_NE(project, nullptr);
  ASSERT_EQ(project->candidates.size(), 2u);
  EXPECT_EQ(project->candidates[0].target.model_id, "openai/gpt-4o");
  EXPECT_EQ(project->candidates[0].target.upstream_model, "gpt-4o");
  EXPECT_EQ(project->candidates[1].target.model_id, "anthropic/claude");
  EXPECT_EQ(project->candidates[1].target.wire, providers::Wire::anthropic);
  ASSERT_NE(project->candidates[0].model, nullptr);
  EXPECT_EQ(project->referenced.size(), 4u);
}

TEST(Runtime, DecryptsSealedKeys) {
  auto rt = demo_runtime();
  EXPECT_EQ(rt->project("p1")->candidates[1].target.api_key, "secret-key");
  EXPECT_EQ(rt->project("p1")->candidates[0].target.api_key, "");
}

TEST(Runtime, FindsProjectsByIdOrSlugAndTokensByHash) {
  auto rt = demo_runtime();
  EXPECT_EQ(rt->project("demo"), rt->project("p1"));
  EXPECT_EQ(rt->project("nope"), nullptr);
  const TokenView* token = rt->token_by_hash(auth::hash_project_token(testing::kToken));
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->token_id, "t1");
  EXPECT_EQ(token->project, rt->project("p1"));
  EXPECT_EQ(rt->token_by_hash("00"), nullptr);
}

TEST(Runtime, AttemptTimeoutPrefersModelThenProjectThenSettings) {
  auto rt = demo_runtime();
  const ProjectView& project = *rt->project("p1");
  EXPECT_EQ(attempt_timeout(*rt, project, project.candidates[0].target).count(), 5000);
  EXPECT_EQ(attempt_timeout(*rt, project, project.candidates[1].target).count(), 20000);
  EXPECT_EQ(attempt_timeout(*rt, *rt->project("p2"), project.candidates[1].target).count(), 45000);
}
}  // namespace
}  // namespace routerly::gateway
