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
// Parses ISO-8601 (date only, or date-time with optional fraction and Z/offset) to epoch ms.
std::optional<int64_t> parse_iso(std::string_view text);
}  // namespace routerly::clock
