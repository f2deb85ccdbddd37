#include "admin/model_cost.hpp"

#include <tuple>

#include "admin/body.hpp"
#include "admin/catalog_docs.hpp"

namespace routerly::admin::models {

namespace json = boost::json;
using catalog::indexed;
using catalog::invalid;
using catalog::within;

namespace {

// Canonical cost key and its P9 alias ("" = none).
struct PriceField {
  std::string_view key;
  std::string_view alias;
};
constexpr PriceField kPriceFields[] = {{"inputPerMillion", "inputPrice"},
                                       {"outputPerMillion", "outputPrice"},
                                       {"cachePerMillion", "cachePrice"},
                                       {"cacheWritePerMillion", ""}};

bool present(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && !v->is_null();
}

Result<json::array> read_tiers(const json::value& value, std::string_view field) {
  if (!value.is_array()) return invalid(field, "must be an array");
  json::array out;
  for (std::size_t i = 0; i < value.as_array().size(); ++i) {
    std::string path = indexed(field, i);
    const json::value& item = value.as_array()[i];
    if (!item.is_object()) return invalid(path, "must be an object");
    const json::object& t = item.as_object();
    auto metric = within(opt_string(t, "metric"), path);
    if (!metric) return std::unexpected(metric.error());
    if (*metric && **metric != "context_tokens") return invalid(path + ".metric", "must be 'context_tokens'");
    auto above = within(opt_integer(t, "above", 0), path);
    if (!above) return std::unexpected(above.error());
    if (!*above) return invalid(path + ".above", "is required");
    json::object tier{{"metric", "context_tokens"}, {"above", **above}};
    // Catalogue-style short names (input/output/cache) are accepted too.
    for (auto [key, alias, required] :
         {std::tuple{"inputPerMillion", "input", true}, std::tuple{"outputPerMillion", "output", true},
          std::tuple{"cachePerMillion", "cache", false}}) {
      auto price = within(opt_number(t, key), path);
      if (!price) return std::unexpected(price.error());
      if (!*price) {
        price = within(opt_number(t, alias), path);
        if (!price) return std::unexpected(price.error());
      }
      if (*price) {
        tier[key] = **price;
      } else if (required) {
        return invalid(path + "." + key, "is required");
      }
    }
    out.push_back(std::move(tier));
  }
  return out;
}

json::array preset_tiers(const providers::PresetModel& preset) {
  json::array out;
  for (const auto& t : preset.tiers) {
    json::object tier{{"metric", t.metric},
                      {"above", t.above},
                      {"inputPerMillion", t.input},
                      {"outputPerMillion", t.output}};
    if (t.cache) tier["cachePerMillion"] = *t.cache;
    out.push_back(std::move(tier));
  }
  return out;
}

}  // namespace

Result<PriceInput> read_prices(const json::object& body) {
  PriceInput in;
  auto cost = opt_object(body, "cost");
  if (!cost) return std::unexpected(cost.error());
  for (const PriceField& f : kPriceFields) {
    auto price = opt_number(body, f.key);
    if (!price) return std::unexpected(price.error());
    if (!*price && !f.alias.empty()) {
      price = opt_number(body, f.alias);
      if (!price) return std::unexpected(price.error());
    }
    if (!*price && *cost) {
      price = within(opt_number(**cost, f.key), "cost");
      if (!price) return std::unexpected(price.error());
    }
    if (*price) {
      in.values[f.key] = **price;
    } else if (f.key == "cachePerMillion" || f.key == "cacheWritePerMillion") {
      // An explicit null removes an optional price (input/output always have one).
      const auto is_null = [&](const json::object& o, std::string_view k) {
        const json::value* v = o.if_contains(k);
        return v != nullptr && v->is_null();
      };
      if (is_null(body, f.key) || (!f.alias.empty() && is_null(body, f.alias)) || (*cost && is_null(**cost, f.key)))
        in.values[f.key] = nullptr;
    }
  }
  if (present(body, "pricingTiers")) {
    auto tiers = read_tiers(body.at("pricingTiers"), "pricingTiers");
    if (!tiers) return std::unexpected(tiers.error());
    in.tiers = std::move(*tiers);
  } else if (*cost && present(**cost, "pricingTiers")) {
    auto tiers = read_tiers((*cost)->at("pricingTiers"), "cost.pricingTiers");
    if (!tiers) return std::unexpected(tiers.error());
    in.tiers = std::move(*tiers);
  }
  return in;
}

json::object merged_cost(const json::object& existing, const PriceInput& in) {
  json::object cost;
  for (const PriceField& f : kPriceFields) {
    if (const json::value* v = in.values.if_contains(f.key)) {
      if (!v->is_null()) cost[f.key] = *v;
    } else if (const json::value* old = existing.if_contains(f.key)) {
      cost[f.key] = *old;
    } else if (f.key == "inputPerMillion" || f.key == "outputPerMillion") {
      cost[f.key] = 0.0;
    }
  }
  if (in.tiers) {
    if (!in.tiers->empty()) cost["pricingTiers"] = *in.tiers;
  } else if (const json::value* old = existing.if_contains("pricingTiers")) {
    cost["pricingTiers"] = *old;
  }
  for (const auto& [key, value] : existing)  // keep unknown cost members
    if (!cost.contains(key) && key != "pricingTiers" && !in.values.contains(key)) cost[key] = value;
  return cost;
}

void fill_from_preset(PriceInput& in, const providers::PresetModel& preset) {
  in.values["inputPerMillion"] = preset.input;
  in.values["outputPerMillion"] = preset.output;
  if (preset.cache) in.values["cachePerMillion"] = *preset.cache;
  if (preset.cache_write) in.values["cacheWritePerMillion"] = *preset.cache_write;
  if (!in.tiers) in.tiers = preset_tiers(preset);
}

}  // namespace routerly::admin::models
