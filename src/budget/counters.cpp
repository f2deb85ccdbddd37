#include "budget/counters.hpp"

namespace routerly::budget {

namespace {

constexpr int64_t kSecondsKept = 3 * kHourMs;
constexpr int64_t kMinutesKept = 3 * kDayMs;
constexpr int64_t kExactSeconds = 2 * kHourMs;
constexpr int64_t kExactMinutes = 2 * kDayMs;

int64_t bucket(int64_t ms, int64_t width) {
  return ms / width - (ms % width < 0 ? 1 : 0);
}

Totals sum_from(const std::map<int64_t, Totals>& buckets, int64_t first) {
  Totals total;
  for (auto it = buckets.lower_bound(first); it != buckets.end(); ++it) total.add(it->second);
  return total;
}

void drop_before(std::map<int64_t, Totals>& buckets, int64_t first) {
  buckets.erase(buckets.begin(), buckets.lower_bound(first));
}

}  // namespace

void Totals::add(const Totals& o, int sign) {
  cost += sign * o.cost;
  calls += sign * o.calls;
  input_tokens += sign * o.input_tokens;
  output_tokens += sign * o.output_tokens;
}

double Totals::metric(std::string_view name) const {
  if (name == "cost") return cost;
  if (name == "calls") return static_cast<double>(calls);
  if (name == "input_tokens") return static_cast<double>(input_tokens);
  if (name == "output_tokens") return static_cast<double>(output_tokens);
  if (name == "total_tokens") return static_cast<double>(input_tokens + output_tokens);
  return 0;
}

void Counters::add(std::string_view scope, int64_t timestamp_ms, const Totals& amount) {
  Series& s = scopes_[std::string(scope)];
  s.seconds[bucket(timestamp_ms, kSecondMs)].add(amount);
  s.minutes[bucket(timestamp_ms, kMinuteMs)].add(amount);
  s.hours[bucket(timestamp_ms, kHourMs)].add(amount);
}

std::pair<const std::map<int64_t, Totals>*, int64_t> Counters::resolution(const Series& s, int64_t start_ms,
                                                                          int64_t now_ms) {
  const int64_t span = now_ms - start_ms;
  if (start_ms % kHourMs == 0 || span > kExactMinutes) return {&s.hours, kHourMs};
  if (span > kExactSeconds) return {&s.minutes, kMinuteMs};
  return {&s.seconds, kSecondMs};
}

Totals Counters::used(std::string_view scope, int64_t start_ms, int64_t now_ms) const {
  auto it = scopes_.find(std::string(scope));
  if (it == scopes_.end()) return {};
  const auto [buckets, width] = resolution(it->second, start_ms, now_ms);
  return sum_from(*buckets, bucket(start_ms, width));
}

std::optional<int64_t> Counters::oldest_leaves(std::string_view scope, int64_t start_ms, int64_t now_ms,
                                               int64_t length_ms) const {
  auto it = scopes_.find(std::string(scope));
  if (it == scopes_.end()) return std::nullopt;
  const auto [buckets, width] = resolution(it->second, start_ms, now_ms);
  auto first = buckets->lower_bound(bucket(start_ms, width));
  if (first == buckets->end()) return std::nullopt;
  return (first->first + 1) * width + length_ms;
}

Totals& Counters::reserved(std::string_view scope) {
  return scopes_[std::string(scope)].reserved;
}

Totals Counters::reserved_of(std::string_view scope) const {
  auto it = scopes_.find(std::string(scope));
  return it == scopes_.end() ? Totals{} : it->second.reserved;
}

void Counters::prune(int64_t now_ms) {
  for (auto it = scopes_.begin(); it != scopes_.end();) {
    Series& s = it->second;
    drop_before(s.seconds, bucket(now_ms - kSecondsKept, kSecondMs));
    drop_before(s.minutes, bucket(now_ms - kMinutesKept, kMinuteMs));
    drop_before(s.hours, bucket(now_ms - kRetentionMs, kHourMs));
    const bool idle = s.hours.empty() && s.reserved.calls == 0 && s.reserved.cost == 0 &&
                      s.reserved.input_tokens == 0 && s.reserved.output_tokens == 0;
    it = idle ? scopes_.erase(it) : std::next(it);
  }
}

void Counters::clear_usage() {
  for (auto& [scope, s] : scopes_) {
    s.seconds.clear();
    s.minutes.clear();
    s.hours.clear();
  }
}

}  // namespace routerly::budget
