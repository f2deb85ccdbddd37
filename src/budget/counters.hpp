#pragma once
// Usage totals per scope as bucketed time series, so that any window can be summed at any time:
// rolling windows expire and calendar windows roll over without a restart. Not thread-safe
// (the Ledger holds its lock).
//
// Resolution falls with age to bound memory: 1-second buckets for the last 3 hours, 1-minute
// buckets for the last 3 days, 1-hour buckets for the last 400 days. Calendar windows start on
// UTC hour boundaries and are summed exactly; rolling windows up to 2 hours are exact to the
// second, up to 2 days to the minute, longer ones to the hour — a bucket that overlaps the
// window's start is counted whole, so old usage may linger up to one bucket (never expire early).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "budget/window.hpp"

namespace routerly::budget {

constexpr int64_t kRetentionMs = 400 * kDayMs;

struct Totals {
  double cost = 0;
  int64_t calls = 0, input_tokens = 0, output_tokens = 0;
  void add(const Totals& o, int sign = 1);
  double metric(std::string_view name) const;
};

class Counters {
 public:
  void add(std::string_view scope, int64_t timestamp_ms, const Totals& amount);
  // Usage of `scope` with timestamp ≥ window start (see the resolution note above).
  Totals used(std::string_view scope, int64_t start_ms, int64_t now_ms) const;
  // When the oldest usage that used(scope, start_ms, now_ms) counts stops being counted by a
  // window of `length_ms` sliding on from now (the end of its bucket + length_ms); nullopt when
  // that window counts no usage.
  std::optional<int64_t> oldest_leaves(std::string_view scope, int64_t start_ms, int64_t now_ms,
                                       int64_t length_ms) const;
  // In-flight reservations of `scope` (they count in every window).
  Totals& reserved(std::string_view scope);
  Totals reserved_of(std::string_view scope) const;
  // Drops buckets past their retention and empty scopes.
  void prune(int64_t now_ms);
  void clear_usage();

 private:
  struct Series {
    std::map<int64_t, Totals> seconds, minutes, hours;  // bucket index → totals
    Totals reserved;
  };
  // The buckets used() sums for a window [start_ms, now_ms], and their width.
  static std::pair<const std::map<int64_t, Totals>*, int64_t> resolution(const Series& s, int64_t start_ms,
                                                                         int64_t now_ms);
  std::unordered_map<std::string, Series> scopes_;
};

}  // namespace routerly::budget
