// The SPEC §7.10 catalogue as data. Prices are USD per 1M tokens; context windows in tokens.
// Refreshing prices means editing the tables below, nothing else.
#include "providers/catalogue.hpp"

#include <algorithm>

namespace routerly::providers {
namespace {

constexpr int64_t kTierThreshold = 200000;  // † models: higher prices above 200k input tokens

// Compact row used to write the tables; converted to PresetModel once.
struct Row {
  const char* id;
  double input, output;
  double cache = -1, cache_write = -1;  // < 0 = none
  int64_t context_k = 0;                // thousands of tokens; 0 = unknown
  bool embedding = false;
};

PresetModel to_preset(const Row& r) {
  PresetModel m;
  m.id = r.id;
  m.input = r.input;
  m.output = r.output;
  if (r.cache >= 0) m.cache = r.cache;
  if (r.cache_write >= 0) m.cache_write = r.cache_write;
  if (r.context_k > 0) m.context_window = r.context_k * 1000;
  m.embedding = r.embedding;
  return m;
}

std::vector<PresetModel> presets(std::initializer_list<Row> rows) {
  std::vector<PresetModel> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(to_preset(r));
  return out;
}

// Adds the single "above 200k context tokens" tier to a preset.
void add_tier(std::vector<PresetModel>& models, std::string_view id, double input, double output,
              std::optional<double> cache) {
  for (PresetModel& m : models) {
    if (m.id != id) continue;
    PricingTier t;
    t.above = kTierThreshold;
    t.input = input;
    t.output = output;
    t.cache = cache;
    m.tiers.push_back(t);
  }
}

std::vector<PresetModel> openai_models() {
  return presets({
      {"gpt-5.2", 1.75, 14, 0.175, -1, 128},
      {"gpt-5.1", 1.25, 10, 0.125, -1, 128},
      {"gpt-5", 1.25, 10, 0.125, -1, 128},
      {"gpt-5-mini", 0.25, 2, 0.025, -1, 128},
      {"gpt-5-nano", 0.05, 0.4, 0.005, -1, 128},
      {"gpt-4.1", 2, 8, 0.5, -1, 128},
      {"gpt-4.1-mini", 0.4, 1.6, 0.1, -1, 128},
      {"gpt-4.1-nano", 0.1, 0.4, 0.025, -1, 128},
      {"gpt-4o", 2.5, 10, 1.25, -1, 128},
      {"gpt-4o-mini", 0.15, 0.6, 0.075, -1, 128},
      {"gpt-realtime", 4, 16, 0.4, -1, 128},
      {"gpt-realtime-mini", 0.6, 2.4, 0.06, -1, 128},
      {"o1", 15, 60, 7.5, -1, 128},
      {"o3", 2, 8, 0.5, -1, 128},
      {"o4-mini", 1.1, 4.4, 0.275, -1, 128},
      {"text-embedding-3-large", 0.13, 0, -1, -1, 8, true},
      {"text-embedding-3-small", 0.02, 0, -1, -1, 8, true},
      {"text-embedding-ada-002", 0.1, 0, -1, -1, 8, true},
  });
}

std::vector<PresetModel> anthropic_models() {
  auto m = presets({
      {"claude-fable-5", 10, 50, 1, 12.5, 1000},
      {"claude-opus-4-8", 5, 25, 0.5, 6.25, 1000},
      {"claude-opus-4-7", 5, 25, 0.5, 6.25, 1000},
      {"claude-opus-4-6", 5, 25, 0.5, 6.25, 1000},
      {"claude-sonnet-4-6", 3, 15, 0.3, 3.75, 1000},
      {"claude-sonnet-4-5", 3, 15, 0.3, 3.75, 200},
      {"claude-haiku-4-5", 1, 5, 0.1, 1.25, 200},
      {"claude-opus-4-1", 15, 75, 1.5, 18.75, 200},
      {"claude-sonnet-4-1", 3, 15, 0.3, 3.75, 200},
  });
  // † 2× input (and cache read), 1.5× output above 200k.
  add_tier(m, "claude-opus-4-6", 10, 37.5, 1.0);
  add_tier(m, "claude-sonnet-4-5", 6, 22.5, 0.6);
  return m;
}

std::vector<PresetModel> gemini_models() {
  auto m = presets({
      {"gemini-2.5-pro", 1.25, 10, 0.125, -1, 2000},
      {"gemini-2.5-flash", 0.3, 2.5, 0.03, -1, 2000},
      {"gemini-2.5-flash-lite", 0.1, 0.4, 0.01, -1, 2000},
      {"gemini-3.1-pro-preview", 2, 12, 0.2, -1, 2000},
      {"gemini-3-pro-preview", 2, 12, 0.2, -1, 2000},
      {"gemini-3-flash-preview", 0.5, 3, 0.05, -1, 2000},
      {"gemini-2.0-flash", 0.1, 0.4, -1, -1, 2000},
      {"gemini-2.0-flash-lite", 0.075, 0.3, -1, -1, 2000},
  });
  add_tier(m, "gemini-2.5-pro", 2.5, 15, 0.25);
  add_tier(m, "gemini-3.1-pro-preview", 4, 18, 0.4);
  add_tier(m, "gemini-3-pro-preview", 4, 18, 0.4);
  return m;
}

std::vector<PresetModel> mistral_models() {
  return presets({
      {"mistral-small-3.1", 0.1, 0.3, -1, -1, 128},
      {"mistral-medium-3", 0.4, 2, -1, -1, 128},
      {"mistral-large-2", 2, 6, -1, -1, 128},
      {"codestral", 1, 3, -1, -1, 256},
      {"mixtral-8x7b", 0.7, 0.7, -1, -1, 32},
  });
}

std::vector<PresetModel> cohere_models() {
  return presets({
      {"command", 1, 2, -1, -1, 128},
      {"command-light", 0.3, 0.6, -1, -1, 128},
      {"command-r-03-2024", 0.5, 1.5, -1, -1, 128},
      {"command-r-plus-0824", 2.5, 10, -1, -1, 128},
      {"command-r", 0.15, 0.6, -1, -1, 128},
      {"command-r7b", 0.0375, 0.15, -1, -1, 128},
      {"command-a", 2.5, 10, -1, -1, 128},
  });
}

std::vector<PresetModel> xai_models() {
  return presets({
      {"grok-4.1-fast", 0.2, 0.5, 0.1, -1, 2000},
      {"grok-4", 3, 15, 0.75, -1, 256},
      {"grok-3", 2, 10, 0.5, -1, 128},
      {"grok-3-mini", 0.1, 0.3, -1, -1, 128},
  });
}

std::vector<PresetModel> ollama_models() {
  return presets({
      {"llama3.2", 0, 0, -1, -1, 128},
      {"llama3.1", 0, 0, -1, -1, 128},
      {"mistral", 0, 0, -1, -1, 128},
      {"mixtral", 0, 0, -1, -1, 32},
      {"gemma2", 0, 0, -1, -1, 8},
      {"qwen2.5", 0, 0, -1, -1, 128},
      {"deepseek-r1", 0, 0, -1, -1, 128},
      {"phi4", 0, 0, -1, -1, 16},
      {"nomic-embed-text", 0, 0, -1, -1, 8, true},
      {"mxbai-embed-large", 0, 0, -1, -1, 0, true},
      {"all-minilm", 0, 0, -1, -1, 0, true},
  });
}

std::vector<PresetModel> deepseek_models() {
  return presets({
      {"deepseek-chat", 0.27, 1.1, 0.07, -1, 64},
      {"deepseek-reasoner", 0.55, 2.19, 0.14, -1, 64},
  });
}

std::vector<PresetModel> groq_models() {
  return presets({
      {"llama-3.3-70b-versatile", 0.59, 0.79, -1, -1, 128},
      {"llama-3.1-8b-instant", 0.05, 0.08, -1, -1, 128},
      {"mixtral-8x7b-32768", 0.24, 0.24, -1, -1, 32},
      {"gemma2-9b-it", 0.2, 0.2, -1, -1, 8},
      {"deepseek-r1-distill-llama-70b", 0.75, 0.99, -1, -1, 128},
  });
}

std::vector<PresetModel> together_models() {
  return presets({
      {"meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.88, 0.88, -1, -1, 131},
      {"meta-llama/Llama-3.1-8B-Instruct-Turbo", 0.18, 0.18, -1, -1, 131},
      {"meta-llama/Llama-3.1-405B-Instruct-Turbo", 3.5, 3.5, -1, -1, 130},
      {"deepseek-ai/DeepSeek-R1", 7, 7, -1, -1, 163},
      {"Qwen/Qwen3-235B-A22B-fp8-tbo", 0.2, 0.6, -1, -1, 41},
  });
}

std::vector<PresetModel> perplexity_models() {
  return presets({
      {"sonar", 1, 1, -1, -1, 127},
      {"sonar-pro", 3, 15, -1, -1, 200},
      {"sonar-reasoning", 1, 5, -1, -1, 127},
      {"sonar-reasoning-pro", 2, 8, -1, -1, 127},
  });
}

std::vector<ProviderInfo> build() {
  std::vector<ProviderInfo> c;
  c.push_back({"openai", "https://api.openai.com/v1", "openai", openai_models()});
  c.push_back({"anthropic", "https://api.anthropic.com", "anthropic", anthropic_models()});
  c.push_back({"anthropic-oauth", "https://api.anthropic.com", "anthropic", anthropic_models()});
  c.push_back({"openai-oauth", "https://chatgpt.com", "openai", {}});
  c.push_back(
      {"gemini", "https://generativelanguage.googleapis.com/v1beta/openai/", "openai", gemini_models()});
  c.push_back({"ollama", "http://localhost:11434/v1", "openai", ollama_models()});
  c.push_back({"custom", "", "openai", {}});
  c.push_back({"mistral", "https://api.mistral.ai/v1", "openai", mistral_models()});
  c.push_back({"cohere", "https://api.cohere.com/v2", "openai", cohere_models()});
  c.push_back({"xai", "https://api.x.ai/v1", "openai", xai_models()});
  c.push_back({"deepseek", "https://api.deepseek.com/v1", "openai", deepseek_models()});
  c.push_back({"groq", "https://api.groq.com/openai/v1", "openai", groq_models()});
  c.push_back({"together", "https://api.together.xyz/v1", "openai", together_models()});
  c.push_back({"perplexity", "https://api.perplexity.ai", "openai", perplexity_models()});
  // Accepted ids with no working adapter (SPEC §7.1); kept so stored models stay valid.
  c.push_back({"openai-web", "", "openai", {}});
  c.push_back({"anthropic-web", "", "anthropic", {}});
  return c;
}

}  // namespace

const std::vector<ProviderInfo>& catalogue() {
  static const std::vector<ProviderInfo> data = build();
  return data;
}

const ProviderInfo* find_provider(std::string_view provider) {
  const auto& c = catalogue();
  auto it = std::find_if(c.begin(), c.end(), [&](const ProviderInfo& p) { return p.id == provider; });
  return it == c.end() ? nullptr : &*it;
}

const PresetModel* find_preset(std::string_view provider, std::string_view upstream_id) {
  const ProviderInfo* p = find_provider(provider);
  if (p == nullptr) return nullptr;
  auto it = std::find_if(p->models.begin(), p->models.end(),
                         [&](const PresetModel& m) { return m.id == upstream_id; });
  return it == p->models.end() ? nullptr : &*it;
}

const std::vector<std::string_view>& provider_ids() {
  // SPEC §4.2 order.
  static const std::vector<std::string_view> ids = {
      "openai",   "anthropic",  "anthropic-oauth", "openai-oauth", "gemini",   "ollama",
      "custom",   "mistral",    "cohere",          "xai",          "deepseek", "groq",
      "together", "perplexity", "openai-web",      "anthropic-web"};
  return ids;
}

}  // namespace routerly::providers
