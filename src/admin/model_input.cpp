#include "admin/model_input.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <span>

#include "admin/body.hpp"
#include "admin/catalog_docs.hpp"
#include "admin/model_cost.hpp"
#include "config/limits.hpp"
#include "providers/catalogue.hpp"

namespace routerly::admin::models {

namespace json = boost::json;
using catalog::indexed;
using catalog::invalid;
using catalog::within;

namespace {

constexpr int64_t kMinTimeoutMs = 1000;
constexpr int64_t kMaxTimeoutMs = 3600000;

constexpr std::string_view kCapabilities[] = {"vision", "functionCalling", "json", "thinking", "embedding"};

bool present(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && !v->is_null();
}
bool given_null(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_null();
}

std::string join(std::span<const std::string_view> items) {
  std::string out;
  for (std::string_view s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

Result<std::string> check_provider(std::string_view provider) {
  const auto& ids = providers::provider_ids();
  if (std::find(ids.begin(), ids.end(), provider) == ids.end())
    return invalid("provider", "must be one of " + join(ids));
  return std::string(provider);
}

Result<void> check_url(std::string_view url, std::string_view field) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
      parsed->encoded_host().empty())
    return invalid(field, "must be an http(s) URL");
  return {};
}

// The endpoint the body gives (`endpoint`, or its alias `baseUrl`): nullopt when absent,
// "" when given empty (meaning: use the provider default).
Result<std::optional<std::string>> read_endpoint(const json::object& body, std::string_view* field) {
  *field = "endpoint";
  auto endpoint = opt_string(body, "endpoint");
  if (!endpoint) return endpoint;
  if (*endpoint) return endpoint;
  *field = "baseUrl";
  return opt_string(body, "baseUrl");
}

Result<std::string> resolve_endpoint(std::optional<std::string> given, std::string_view field,
                                     std::string_view provider) {
  if (given && !given->empty()) {
    if (auto ok = check_url(*given, field); !ok) return std::unexpected(ok.error());
    return std::move(*given);
  }
  const providers::ProviderInfo* info = providers::find_provider(provider);
  if (info == nullptr || info->endpoint.empty())
    return invalid("endpoint", "is required for provider '" + std::string(provider) + "'");
  return info->endpoint;
}

Result<json::object> read_capabilities(const json::value& value) {
  json::object out;
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.as_array().size(); ++i) {
      const json::value& item = value.as_array()[i];
      std::string_view name = item.is_string() ? std::string_view(item.as_string()) : std::string_view();
      if (name == "function_calling" || name == "tools") name = "functionCalling";
      if (std::find(std::begin(kCapabilities), std::end(kCapabilities), name) == std::end(kCapabilities))
        return invalid(indexed("capabilities", i), "must be one of " + join(kCapabilities));
      out[name] = true;
    }
    return out;
  }
  if (!value.is_object())
    return invalid("capabilities", "must be an object of booleans or an array of strings");
  for (const auto& [key, flag] : value.as_object()) {
    if (!flag.is_bool()) return invalid("capabilities." + std::string(key), "must be a boolean");
    out[key] = flag;
  }
  return out;
}

// contextWindow, limits, capabilities, timeout, enabled: set when given, removed on null.
Result<void> apply_optional_fields(json::object& doc, const json::object& body) {
  if (given_null(body, "contextWindow")) doc.erase("contextWindow");
  auto window = opt_integer(body, "contextWindow", 1);
  if (!window) return std::unexpected(window.error());
  if (*window) doc["contextWindow"] = **window;

  if (given_null(body, "limits")) doc.erase("limits");
  if (present(body, "limits")) {
    auto limits = config::normalize_limits(body.at("limits"), "limits");
    if (!limits) return std::unexpected(limits.error());
    if (limits->empty()) {
      doc.erase("limits");
    } else {
      doc["limits"] = std::move(*limits);
    }
  }

  if (given_null(body, "capabilities")) doc.erase("capabilities");
  if (present(body, "capabilities")) {
    auto caps = read_capabilities(body.at("capabilities"));
    if (!caps) return std::unexpected(caps.error());
    doc["capabilities"] = std::move(*caps);
  }

  if (given_null(body, "timeout")) doc.erase("timeout");
  auto timeout = opt_integer(body, "timeout", kMinTimeoutMs);
  if (!timeout || (*timeout && **timeout > kMaxTimeoutMs))
    return invalid("timeout", "must be an integer between 1000 and 3600000 (milliseconds)");
  if (*timeout) doc["timeout"] = **timeout;

  auto enabled = opt_bool(body, "enabled");
  if (!enabled) return std::unexpected(enabled.error());
  if (*enabled) doc["enabled"] = **enabled;
  return {};
}

Result<std::optional<std::string>> read_api_key(const json::object& body) {
  auto key = opt_string(body, "apiKey");
  if (!key) return key;
  if (*key && (*key)->empty()) return std::optional<std::string>();
  return key;
}

// The upstream id a preset is looked up by: the explicit upstreamModelId, else the model
// id without its "<provider>/" prefix.
std::string preset_key(std::string_view provider, std::string_view id, std::string_view upstream) {
  if (!upstream.empty()) return std::string(upstream);
  std::string prefix = std::string(provider) + "/";
  if (id.starts_with(prefix)) id.remove_prefix(prefix.size());
  return std::string(id);
}

}  // namespace

Result<ModelInput> model_from_create(const json::object& body) {
  auto provider_text = req_string(body, "provider");
  if (!provider_text) return std::unexpected(provider_text.error());
  auto provider = check_provider(*provider_text);
  if (!provider) return std::unexpected(provider.error());

  auto upstream = opt_string(body, "upstreamModelId");
  if (!upstream) return std::unexpected(upstream.error());
  std::string upstream_id = upstream->value_or("");

  auto id = opt_string(body, "id");
  if (!id) return std::unexpected(id.error());
  std::string model_id = id->value_or("");
  if (model_id.empty()) {
    if (upstream_id.empty()) return invalid("id", "is required (or give provider and upstreamModelId)");
    model_id = *provider + "/" + upstream_id;
  }

  auto name = opt_string(body, "name");
  if (!name) return std::unexpected(name.error());

  std::string_view endpoint_field;
  auto endpoint_given = read_endpoint(body, &endpoint_field);
  if (!endpoint_given) return std::unexpected(endpoint_given.error());
  auto endpoint = resolve_endpoint(std::move(*endpoint_given), endpoint_field, *provider);
  if (!endpoint) return std::unexpected(endpoint.error());

  auto prices = read_prices(body);
  if (!prices) return std::unexpected(prices.error());

  ModelInput out;
  json::object& doc = out.doc;
  doc["id"] = model_id;
  doc["name"] = name->value_or("").empty() ? model_id : **name;
  doc["provider"] = *provider;
  doc["endpoint"] = *endpoint;
  if (!upstream_id.empty()) doc["upstreamModelId"] = upstream_id;

  const providers::PresetModel* preset =
      providers::find_preset(*provider, preset_key(*provider, model_id, upstream_id));
  if (preset != nullptr && prices->values.empty()) {
    fill_from_preset(*prices, *preset);  // no prices given: the catalogue supplies all of them
  }
  doc["cost"] = merged_cost(json::object(), *prices);

  if (auto ok = apply_optional_fields(doc, body); !ok) return std::unexpected(ok.error());
  if (!doc.contains("contextWindow") && preset != nullptr && preset->context_window)
    doc["contextWindow"] = *preset->context_window;
  if (!doc.contains("enabled")) doc["enabled"] = true;

  auto key = read_api_key(body);
  if (!key) return std::unexpected(key.error());
  out.api_key = std::move(*key);
  return out;
}

Result<ModelInput> model_from_update(const json::object& existing, const json::object& body) {
  ModelInput out;
  json::object& doc = out.doc;
  doc = existing;

  auto id = opt_string(body, "id");
  if (!id) return std::unexpected(id.error());
  if (*id) {
    if ((*id)->empty()) return invalid("id", "must be a non-empty string");
    doc["id"] = **id;
  }

  auto name = opt_string(body, "name");
  if (!name) return std::unexpected(name.error());
  if (*name) doc["name"] = (*name)->empty() ? json::value(doc["id"]) : json::value(**name);

  auto provider_text = opt_string(body, "provider");
  if (!provider_text) return std::unexpected(provider_text.error());
  if (*provider_text) {
    auto provider = check_provider(**provider_text);
    if (!provider) return std::unexpected(provider.error());
    doc["provider"] = *provider;
  }

  std::string_view endpoint_field;
  auto endpoint_given = read_endpoint(body, &endpoint_field);
  if (!endpoint_given) return std::unexpected(endpoint_given.error());
  if (*endpoint_given) {
    auto endpoint =
        resolve_endpoint(std::move(*endpoint_given), endpoint_field, catalog::text(doc, "provider"));
    if (!endpoint) return std::unexpected(endpoint.error());
    doc["endpoint"] = *endpoint;
  }

  if (given_null(body, "upstreamModelId")) doc.erase("upstreamModelId");
  auto upstream = opt_string(body, "upstreamModelId");
  if (!upstream) return std::unexpected(upstream.error());
  if (*upstream) {
    if ((*upstream)->empty()) {
      doc.erase("upstreamModelId");
    } else {
      doc["upstreamModelId"] = **upstream;
    }
  }

  auto prices = read_prices(body);
  if (!prices) return std::unexpected(prices.error());
  if (!prices->values.empty() || prices->tiers || !doc.contains("cost")) {
    const json::value* old = existing.if_contains("cost");
    doc["cost"] =
        merged_cost(old != nullptr && old->is_object() ? old->as_object() : json::object(), *prices);
  }

  if (auto ok = apply_optional_fields(doc, body); !ok) return std::unexpected(ok.error());

  auto key = read_api_key(body);
  if (!key) return std::unexpected(key.error());
  out.api_key = std::move(*key);
  return out;
}

std::string mask_key(std::string_view key) {
  if (key.size() >= 12) return std::string(key.substr(0, 3)) + "…" + std::string(key.substr(key.size() - 4));
  if (key.size() >= 6) return "…" + std::string(key.substr(key.size() - 2));
  return "****";
}

json::object model_view(const json::object& doc) {
  json::object view;
  for (const auto& [key, value] : doc) {
    if (key == "apiKeyEnc" || key == "apiKeyHint" || key == "apiKey" || key == "cfClearance") continue;
    view[key] = value;
  }
  if (!view.contains("enabled")) view["enabled"] = true;
  view["hasApiKey"] = !catalog::text(doc, "apiKeyEnc").empty() || !catalog::text(doc, "apiKey").empty();
  return view;
}

}  // namespace routerly::admin::models
