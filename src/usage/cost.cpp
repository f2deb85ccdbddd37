// Cost of one call: SPEC §7.9 with the §00 P13 pricing tiers.
//
// Tier choice: the tier with the largest `above` strictly below the input token count
// replaces the input and output prices and, when it names one, the cache-read price; a tier
// without a cache price reads cached tokens at the tier's input price. The cache-write price
// is not tiered: cacheWritePerMillion, else the applied input price.
#include "usage/cost.hpp"

#include <algorithm>
#include <cmath>

namespace routerly::usage {

namespace json = boost::json;

namespace {

std::optional<double> number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::optional<int64_t> integer(const json::object& o, std::string_view key) {
  auto v = number(o, key);
  if (!v) return std::nullopt;
  return static_cast<int64_t>(*v);
}

double round9(double value) {
  return std::round(value * 1e9) / 1e9;
}

}  // namespace

Prices prices_of_model(const json::object& model) {
  Prices p;
  const json::value* cost = model.if_contains("cost");
  if (cost == nullptr || !cost->is_object()) return p;
  const json::object& c = cost->as_object();
  p.input = number(c, "inputPerMillion").value_or(0);
  p.output = number(c, "outputPerMillion").value_or(0);
  p.cache_read = number(c, "cachePerMillion");
  p.cache_write = number(c, "cacheWritePerMillion");
  const json::value* tiers = c.if_contains("pricingTiers");
  if (tiers == nullptr || !tiers->is_array()) return p;
  for (const json::value& t : tiers->as_array()) {
    if (!t.is_object()) continue;
    const json::object& tier = t.as_object();
    const json::value* metric = tier.if_contains("metric");
    if (metric != nullptr && !(metric->is_string() && metric->as_string() == "context_tokens")) continue;
    auto above = integer(tier, "above");
    if (!above) continue;
    p.tiers.push_back(Tier{*above, number(tier, "inputPerMillion").value_or(p.input),
                           number(tier, "outputPerMillion").value_or(p.output),
                           number(tier, "cachePerMillion")});
  }
  return p;
}

Cost compute_cost(const Prices& prices, const Tokens& tokens) {
  double input_price = prices.input, output_price = prices.output;
  std::optional<double> cache_price = prices.cache_read;
  const Tier* applied = nullptr;
  for (const Tier& tier : prices.tiers) {
    if (tokens.input > tier.above && (applied == nullptr || tier.above > applied->above)) applied = &tier;
  }
  if (applied != nullptr) {
    input_price = applied->input;
    output_price = applied->output;
    cache_price = applied->cache;
  }
  const double read_price = cache_price.value_or(input_price);
  const double write_price = prices.cache_write.value_or(input_price);

  // A provider reporting more cached than total input tokens must not produce a negative cost.
  const int64_t plain = std::max<int64_t>(0, tokens.input - tokens.cached - tokens.cache_creation);
  const double input_cost = static_cast<double>(plain) / 1e6 * input_price +
                            static_cast<double>(tokens.cached) / 1e6 * read_price +
                            static_cast<double>(tokens.cache_creation) / 1e6 * write_price;
  const double output_cost = static_cast<double>(tokens.output) / 1e6 * output_price;
  return Cost{round9(input_cost + output_cost), round9(input_cost), round9(output_cost), input_price,
              output_price};
}

}  // namespace routerly::usage
