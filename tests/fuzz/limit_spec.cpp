// The CLI's limit specs (`--limit model:metric:period:daily:100`, `--remove-limit …`), as typed
// by a user or pasted from a script. Every spec it accepts must be a limit the server accepts.
#include "harness.hpp"

#include <string>

#include "cli/limit_spec.hpp"
#include "config/limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  const std::string spec(fuzz::as_text(data, size));
  if (auto parsed = cli::parse_limit_spec(spec)) {
    auto normalised = config::normalize_limit(parsed->limit, "limit");
    fuzz::fuzz_require(normalised.has_value(), "a limit the CLI accepts is one the server accepts");
  }
  if (auto removal = cli::parse_limit_removal(spec)) {
    fuzz::fuzz_require(removal->window_type == "period" || removal->window_type == "rolling",
                       "a removal names period or rolling");
  }
  return 0;
}
