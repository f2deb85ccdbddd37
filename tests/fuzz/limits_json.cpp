// Budget limits as JSON from the admin API and config files, in every accepted form. What
// normalisation returns is the stored form, which must normalise to itself.
#include "harness.hpp"

#include "config/limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  auto value = fuzz::parse_json(fuzz::as_text(data, size));
  if (!value) return 0;
  if (auto one = config::normalize_limit(*value, "limit")) {
    auto again = config::normalize_limit(*one, "limit");
    fuzz::fuzz_require(again.has_value() && *again == *one, "a stored limit normalises to itself");
  }
  if (auto many = config::normalize_limits(*value, "budgets")) {
    auto again = config::normalize_limits(*many, "budgets");
    fuzz::fuzz_require(again.has_value() && *again == *many, "stored limits normalise to themselves");
  }
  if (value->is_object()) {
    if (const auto* mode = value->get_object().if_contains("mode")) (void)config::normalize_limits_mode(*mode, "mode");
  }
  return 0;
}
