#pragma once
// `model add` without --provider: an id of the form <provider>/<model> that names a catalogue
// preset (SPEC §7.10) tells the provider by itself.
#include <functional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::cli {

// True when `provider` has a preset whose upstream id is `model`.
using PresetLookup = std::function<bool(std::string_view provider, std::string_view model)>;

// The provider of `id` when it is "<provider>/<model>" and `is_preset` knows that pair; else
// a validation error asking for --provider.
Result<std::string> infer_provider(std::string_view id, const PresetLookup& is_preset);

}  // namespace routerly::cli
