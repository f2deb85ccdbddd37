#pragma once
// The `cost` part of model bodies: prices per 1M tokens under their SPEC §4.2 names, the P9
// aliases (inputPrice/outputPrice/cachePrice), the nested `cost` object (D12) and pricing tiers.
#include <boost/json.hpp>
#include <optional>

#include "common/error.hpp"
#include "providers/catalogue.hpp"

namespace routerly::admin::models {

struct PriceInput {
  boost::json::object values;               // canonical key → price, only those given; null = remove
  std::optional<boost::json::array> tiers;  // validated; empty = clear
};

// Top-level canonical names win, then the P9 aliases, then the nested `cost` object.
Result<PriceInput> read_prices(const boost::json::object& body);

// Fills every price and the tiers from a catalogue preset.
void fill_from_preset(PriceInput& in, const providers::PresetModel& preset);

// `cost` in canonical key order: given prices over `existing` ones; input/output default to 0;
// tiers replaced when given (an empty list removes them); unknown members of `existing` kept.
boost::json::object merged_cost(const boost::json::object& existing, const PriceInput& in);

}  // namespace routerly::admin::models
