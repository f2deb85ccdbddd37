#pragma once
// The built-in provider catalogue of SPEC §7.10: default endpoints and preset models with
// prices (USD per 1M tokens), context windows and pricing tiers. Data shipped in the binary.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routerly::providers {

struct PricingTier {
  std::string metric = "context_tokens";
  int64_t above = 0;
  double input = 0, output = 0;
  std::optional<double> cache;
};

struct PresetModel {
  std::string id;  // upstream model id, e.g. "gpt-4o-mini"
  double input = 0, output = 0;
  std::optional<double> cache, cache_write;
  std::optional<int64_t> context_window;
  std::vector<PricingTier> tiers;
  bool embedding = false;
};

struct ProviderInfo {
  std::string id;        // "openai"
  std::string endpoint;  // default base URL ("" for custom)
  std::string wire;      // "openai" or "anthropic"
  std::vector<PresetModel> models;
};

const std::vector<ProviderInfo>& catalogue();
const ProviderInfo* find_provider(std::string_view provider);
// Looks up a preset by provider and upstream id (exact match).
const PresetModel* find_preset(std::string_view provider, std::string_view upstream_id);
// Known provider ids (SPEC §4.2).
const std::vector<std::string_view>& provider_ids();

}  // namespace routerly::providers
