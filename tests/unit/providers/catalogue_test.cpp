#include "providers/catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace routerly::providers {
namespace {

TEST(Catalogue, ProviderListIsSpecList) {
  const auto& ids = provider_ids();
  ASSERT_EQ(ids.size(), 16u);
  EXPECT_EQ(ids.front(), "openai");
  for (std::string_view id : {"anthropic", "anthropic-oauth", "openai-oauth", "gemini", "ollama", "custom",
                              "mistral", "cohere", "xai", "deepseek", "groq", "together", "perplexity"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "azure"), ids.end());
  // Every listed provider has a catalogue entry and vice versa.
  std::set<std::string> in_catalogue;
  for (const auto& p : catalogue()) in_catalogue.insert(p.id);
  EXPECT_EQ(in_catalogue.size(), ids.size());
  for (auto id : ids) EXPECT_NE(find_provider(id), nullptr) << id;
}

TEST(Catalogue, DefaultEndpointsAndWire) {
  EXPECT_EQ(find_provider("openai")->endpoint, "https://api.openai.com/v1");
  EXPECT_EQ(find_provider("anthropic")->endpoint, "https://api.anthropic.com");
  EXPECT_EQ(find_provider("anthropic-oauth")->endpoint, "https://api.anthropic.com");
  EXPECT_EQ(find_provider("gemini")->endpoint, "https://generativelanguage.googleapis.com/v1beta/openai/");
  EXPECT_EQ(find_provider("ollama")->endpoint, "http://localhost:11434/v1");
  EXPECT_EQ(find_provider("groq")->endpoint, "https://api.groq.com/openai/v1");
  EXPECT_EQ(find_provider("custom")->endpoint, "");
  EXPECT_EQ(find_provider("anthropic")->wire, "anthropic");
  EXPECT_EQ(find_provider("anthropic-oauth")->wire, "anthropic");
  EXPECT_EQ(find_provider("openai")->wire, "openai");
  EXPECT_EQ(find_provider("deepseek")->wire, "openai");
  EXPECT_EQ(find_provider("nope"), nullptr);
}

TEST(Catalogue, PresetPrices) {
  const PresetModel* m = find_preset("openai", "gpt-4o-mini");
  ASSERT_NE(m, nullptr);
  EXPECT_DOUBLE_EQ(m->input, 0.15);
  EXPECT_DOUBLE_EQ(m->output, 0.6);
  ASSERT_TRUE(m->cache.has_value());
  EXPECT_DOUBLE_EQ(*m->cache, 0.075);
  EXPECT_FALSE(m->cache_write.has_value());
  EXPECT_EQ(m->context_window, 128000);
  EXPECT_TRUE(m->tiers.empty());
  EXPECT_FALSE(m->embedding);

  const PresetModel* h = find_preset("anthropic", "claude-haiku-4-5");
  ASSERT_NE(h, nullptr);
  EXPECT_DOUBLE_EQ(h->input, 1);
  EXPECT_DOUBLE_EQ(h->output, 5);
  EXPECT_DOUBLE_EQ(*h->cache, 0.1);
  EXPECT_DOUBLE_EQ(*h->cache_write, 1.25);
  EXPECT_EQ(h->context_window, 200000);

  const PresetModel* e = find_preset("openai", "text-embedding-3-small");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->embedding);
  EXPECT_DOUBLE_EQ(e->output, 0);

  const PresetModel* t = find_preset("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo");
  ASSERT_NE(t, nullptr);
  EXPECT_DOUBLE_EQ(t->input, 0.88);

  EXPECT_NE(find_preset("anthropic-oauth", "claude-opus-4-6"), nullptr);
  EXPECT_EQ(find_preset("openai", "claude-haiku-4-5"), nullptr);
  EXPECT_EQ(find_preset("custom", "gpt-4o"), nullptr);
  EXPECT_EQ(find_preset("openai", "GPT-4O"), nullptr);  // exact match only
}

TEST(Catalogue, PricingTiers) {
  const PresetModel* opus = find_preset("anthropic", "claude-opus-4-6");
  ASSERT_NE(opus, nullptr);
  ASSERT_EQ(opus->tiers.size(), 1u);
  EXPECT_EQ(opus->tiers[0].metric, "context_tokens");
  EXPECT_EQ(opus->tiers[0].above, 200000);
  EXPECT_DOUBLE_EQ(opus->tiers[0].input, 10);
  EXPECT_DOUBLE_EQ(opus->tiers[0].output, 37.5);

  const PresetModel* sonnet = find_preset("anthropic", "claude-sonnet-4-5");
  ASSERT_EQ(sonnet->tiers.size(), 1u);
  EXPECT_DOUBLE_EQ(sonnet->tiers[0].input, 6);
  EXPECT_DOUBLE_EQ(sonnet->tiers[0].output, 22.5);

  const PresetModel* gpro = find_preset("gemini", "gemini-2.5-pro");
  ASSERT_EQ(gpro->tiers.size(), 1u);
  EXPECT_DOUBLE_EQ(gpro->tiers[0].input, 2.5);
  EXPECT_DOUBLE_EQ(gpro->tiers[0].output, 15);

  for (auto id : {"gemini-3-pro-preview", "gemini-3.1-pro-preview"}) {
    const PresetModel* p = find_preset("gemini", id);
    ASSERT_NE(p, nullptr) << id;
    ASSERT_EQ(p->tiers.size(), 1u) << id;
    EXPECT_DOUBLE_EQ(p->tiers[0].input, 4);
    EXPECT_DOUBLE_EQ(p->tiers[0].output, 18);
  }
  // Non-† models carry no tiers.
  EXPECT_TRUE(find_preset("anthropic", "claude-sonnet-4-6")->tiers.empty());
  EXPECT_TRUE(find_preset("gemini", "gemini-2.5-flash")->tiers.empty());
}

TEST(Catalogue, EveryPresetIsSane) {
  for (const auto& p : catalogue()) {
    std::set<std::string> seen;
    for (const auto& m : p.models) {
      EXPECT_TRUE(seen.insert(m.id).second) << p.id << " duplicate " << m.id;
      EXPECT_GE(m.input, 0) << m.id;
      EXPECT_GE(m.output, 0) << m.id;
      if (m.context_window) {
        EXPECT_GT(*m.context_window, 0) << m.id;
      }
    }
  }
}

}  // namespace
}  // namespace routerly::providers
