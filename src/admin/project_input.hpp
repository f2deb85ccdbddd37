#pragma once
// Project bodies (SPEC §4.4 with §00 P8–P10 and docs/management-api.md) → stored project
// documents. Pure: validation against the draft's documents, no writes.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "store/store.hpp"

namespace routerly::admin::projects {

inline constexpr int64_t kDefaultTimeoutMs = 30000;

// "My App!" → "my-app": lower-case ASCII alphanumerics, other runs become one '-', trimmed,
// at most 64 characters; "project" when nothing is left.
std::string slugify(std::string_view name);
// Lowercase [a-z0-9-], 1–64 characters.
bool valid_slug(std::string_view slug);

// Validates the create/update body and writes its fields onto `project` (only the fields
// present in `body`, except on create where defaults are set). Checks name and slug
// uniqueness against `docs` (excluding the project itself), and that every model exists.
// On create a slug is generated from the name when absent (suffix -2, -3… while taken).
Result<void> apply_project_body(boost::json::object& project, const boost::json::object& body,
                                const store::ConfigDocuments& docs, bool creating);

// Per-model references of a project pool or a token: ids or {modelId, prompt?, limitsMode?,
// limits?} → objects. Each id must satisfy `known` (400 "field 'models[i].modelId' <unknown_what>");
// no duplicates. `prompt` (routing guidance) is kept only when `with_prompt`.
Result<boost::json::array> normalize_model_refs(const boost::json::value& value, std::string_view field,
                                                const std::function<bool(std::string_view)>& known,
                                                std::string_view unknown_what, bool with_prompt);

// `policies` input: [{type, enabled=true, config?}] with known, distinct types.
Result<boost::json::array> normalize_policies(const boost::json::value& value);

}  // namespace routerly::admin::projects
