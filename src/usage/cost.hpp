#pragma once
// Cost of one call (SPEC §7.9 with §00 P13 pricing tiers). Pure.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <vector>

namespace routerly::usage {

struct Tier {
  int64_t above = 0;  // applies when input tokens > above
  double input = 0, output = 0;
  std::optional<double> cache;
};

struct Prices {  // USD per 1M tokens
  double input = 0, output = 0;
  std::optional<double> cache_read, cache_write;
  std::vector<Tier> tiers;
};

struct Tokens {
  int64_t input = 0;  // includes cached and cache-creation tokens
  int64_t output = 0;
  int64_t cached = 0;
  int64_t cache_creation = 0;
};

struct Cost {
  double total = 0, input = 0, output = 0;  // rounded to 9 decimals
  double price_input = 0, price_output = 0;  // the per-million prices actually applied
};

// Reads a model document's `cost` object (SPEC §4.2).
Prices prices_of_model(const boost::json::object& model);
// The tier with the largest `above` below the input token count supplies the prices.
Cost compute_cost(const Prices& prices, const Tokens& tokens);

}  // namespace routerly::usage
