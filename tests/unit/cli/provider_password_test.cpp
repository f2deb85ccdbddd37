#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "cli/password_input.hpp"
#include "cli/provider_inference.hpp"

namespace routerly::cli {
namespace {

bool fake_catalogue(std::string_view provider, std::string_view model) {
  static const std::set<std::pair<std::string_view, std::string_view>> presets = {
      {"openai", "gpt-4o-mini"}, {"anthropic", "claude-sonnet-4"}};
  return presets.contains({provider, model});
}

TEST(InferProvider, TakesTheProviderOfAPresetId) {
  auto p = infer_provider("openai/gpt-4o-mini", fake_catalogue);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, "openai");
  EXPECT_EQ(infer_provider("anthropic/claude-sonnet-4", fake_catalogue).value_or(""), "anthropic");
}

TEST(InferProvider, AsksForTheProviderOtherwise) {
  for (const char* id :
       {"gpt-4o-mini", "openai/unknown-model", "nobody/gpt-4o-mini", "/gpt-4o-mini", "openai/"}) {
    auto p = infer_provider(id, fake_catalogue);
    ASSERT_FALSE(p) << id;
    EXPECT_EQ(p.error().code, ErrorCode::validation_error);
    EXPECT_NE(p.error().message.find("--provider is required"), std::string::npos);
  }
}

TEST(ChoosePasswordSource, FollowsTheDocumentedOrder) {
  EXPECT_EQ(choose_password_source(true, false, true, true).value(), PasswordSource::flag);
  EXPECT_EQ(choose_password_source(false, true, true, true).value(), PasswordSource::stdin_line);
  EXPECT_EQ(choose_password_source(false, false, true, true).value(), PasswordSource::environment);
  EXPECT_EQ(choose_password_source(false, false, false, true).value(), PasswordSource::prompt);
  EXPECT_EQ(choose_password_source(false, false, false, false).value(), PasswordSource::none);
  EXPECT_FALSE(choose_password_source(true, true, false, false));
}

}  // namespace
}  // namespace routerly::cli
