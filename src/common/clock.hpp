#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace routerly::clock {
int64_t now_ms();  // Unix epoch milliseconds
int64_t now_s();
// ISO-8601 UTC with milliseconds and Z, e.g. 2026-01-15T10:30:00.123Z
std::string iso_utc(int64_t epoch_ms);
std::string iso_now();
// Parses ISO-8601 to epoch ms: `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM[:SS[.f…]]`
// followed by `Z`, `±HH:MM`, `±HHMM` or nothing (= UTC). Fractions beyond ms are truncated.
// nullopt for anything else, including out-of-range fields. Thread-safe (pure arithmetic).
std::optional<int64_t> parse_iso(std::string_view text);
}  // namespace routerly::clock
