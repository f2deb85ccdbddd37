#pragma once
// Limit windows (SPEC §6.1, §00 P10): UTC calendar periods and rolling windows, and the parsed
// form of one limit object.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace routerly::budget {

constexpr int64_t kSecondMs = 1000;
constexpr int64_t kMinuteMs = 60 * kSecondMs;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

struct Window {
  bool rolling = false;
  std::string period = "daily";  // hourly | daily | weekly | monthly | yearly (calendar windows)
  int64_t amount = 1;            // rolling windows: amount × unit
  std::string unit = "day";      // second | minute | hour | day | week | month (= 30 days)

  int64_t rolling_length_ms() const;
  // First instant (ms since epoch) counted by the window at `now_ms`.
  int64_t start(int64_t now_ms) const;
  // "monthly", "rolling 1 hour", "rolling 24 hours" (SPEC §6.5).
  std::string label() const;
  // Identifies the window instance at `now_ms` (one notification per instance): the UTC start of
  // a calendar period; for a rolling window, the index of the window-length slot `now` is in.
  std::string instance_key(int64_t now_ms) const;
};

// Start of the UTC calendar period containing `now_ms`; weeks start on Monday.
int64_t period_start(std::string_view period, int64_t now_ms);
// Start of the next one (where the period containing `now_ms` ends).
int64_t period_end(std::string_view period, int64_t now_ms);

struct LimitSpec {
  std::string metric;  // cost | calls | input_tokens | output_tokens | total_tokens
  Window window;
  double value = 0;
};

// A stored limit object (the §6.1 form written by config::normalize_limit, or a legacy form with
// a `window` string / `limit` value). nullopt when it names no known metric or has no value.
std::optional<LimitSpec> parse_limit(const boost::json::object& limit);

}  // namespace routerly::budget
