#pragma once
// Model bodies (SPEC §4.2–§4.3 with §00 P9 aliases and D12) → stored model documents, and
// the stored document → API view. Pure: no store, no secrets sealed here.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::admin::models {

struct ModelInput {
  boost::json::object doc;             // stored shape without key material
  std::optional<std::string> api_key;  // plaintext to seal when the body gave a non-empty key
};

// POST body → new document: validates every field, resolves aliases, derives `id` from
// provider + upstreamModelId when absent, fills prices/context window from the catalogue
// preset and `endpoint` from the provider default. Sets enabled (default true); createdAt
// is left to the caller.
Result<ModelInput> model_from_create(const boost::json::object& body);

// PUT body applied on the stored document: only the fields present change; `null` removes
// optional fields (upstreamModelId, contextWindow, limits, capabilities, timeout).
Result<ModelInput> model_from_update(const boost::json::object& existing, const boost::json::object& body);

// Display form of a provider key: "sk-…abcd" for keys of 12+ characters, else "…cd" or "****".
std::string mask_key(std::string_view key);

// API shape: the stored document without key material, plus `hasApiKey` and `enabled`.
boost::json::object model_view(const boost::json::object& doc);

}  // namespace routerly::admin::models
