#include "cli/provider_inference.hpp"

namespace routerly::cli {

Result<std::string> infer_provider(std::string_view id, const PresetLookup& is_preset) {
  const auto slash = id.find('/');
  if (slash != std::string_view::npos && slash > 0 && slash + 1 < id.size()) {
    const std::string_view provider = id.substr(0, slash);
    if (is_preset(provider, id.substr(slash + 1))) return std::string(provider);
  }
  return fail(ErrorCode::validation_error,
              "--provider is required: '" + std::string(id) +
                  "' is not <provider>/<model> of a catalogue preset (e.g. openai/gpt-4o-mini)");
}

}  // namespace routerly::cli
