#include "routing/stats.hpp"

#include <algorithm>
#include <deque>
#include <mutex>

namespace routerly::routing {

struct Stats::Series {
  mutable std::mutex mutex;
  std::deque<Sample> samples;  // ascending timestamp
};

Stats::Stats(int64_t retention_ms, std::size_t max_per_model)
    : retention_ms_(retention_ms), max_per_model_(max_per_model) {}

Stats::~Stats() = default;

namespace {
Sample make_sample(int64_t timestamp_ms, int64_t latency_ms, std::string_view outcome, std::string_view project_id) {
  Sample s;
  s.timestamp_ms = timestamp_ms;
  s.latency_ms = latency_ms;
  s.success = outcome == "success";
  s.timeout_or_error = outcome == "error" || outcome == "timeout";
  s.failed = s.timeout_or_error || outcome == "budget_exceeded";
  s.project_id = project_id;
  return s;
}
}  // namespace

Sample Stats::sample_of(const store::UsageRow& row) {
  return make_sample(row.timestamp_ms, row.latency_ms, row.outcome, row.project_id);
}

Sample Stats::sample_of(const store::UsageSample& row) {
  return make_sample(row.timestamp_ms, row.latency_ms, row.outcome, row.project_id);
}

Stats::Series* Stats::series(std::string_view model_id) const {
  std::shared_lock lock(map_mutex_);
  auto it = by_model_.find(std::string(model_id));
  return it == by_model_.end() ? nullptr : it->second.get();
}

Stats::Series& Stats::series_for_write(std::string_view model_id) {
  if (Series* s = series(model_id)) return *s;
  std::unique_lock lock(map_mutex_);
  auto& slot = by_model_[std::string(model_id)];
  if (!slot) slot = std::make_unique<Series>();
  return *slot;
}

void Stats::load(const std::vector<store::UsageRow>& rows, int64_t now_ms) {
  std::vector<const store::UsageRow*> kept;
  for (const auto& row : rows)
    if (row.timestamp_ms >= now_ms - retention_ms_ && !row.model_id.empty()) kept.push_back(&row);
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto* a, const auto* b) { return a->timestamp_ms < b->timestamp_ms; });
  for (const auto* row : kept) record(*row);
}

Result<std::size_t> Stats::load_from(store::Store& store, int64_t now_ms) {
  std::size_t added = 0;
  auto ok = store.scan_usage_samples(now_ms - retention_ms_, [&](const store::UsageSample& row) {
    if (row.model_id.empty()) return;
    record(row.model_id, sample_of(row));
    ++added;
  });
  if (!ok) return std::unexpected(ok.error());
  return added;
}

void Stats::record(const store::UsageRow& row) {
  if (row.model_id.empty()) return;
  record(row.model_id, sample_of(row));
}

void Stats::record(std::string_view model_id, Sample sample) {
  if (model_id.empty()) return;
  Series& s = series_for_write(model_id);
  std::lock_guard lock(s.mutex);
  // Rows arrive nearly in order; insert in place when one is late.
  auto pos = s.samples.end();
  while (pos != s.samples.begin() && std::prev(pos)->timestamp_ms > sample.timestamp_ms) --pos;
  s.samples.insert(pos, std::move(sample));
  const int64_t newest = s.samples.back().timestamp_ms;
  while (!s.samples.empty() &&
         (s.samples.front().timestamp_ms < newest - retention_ms_ || s.samples.size() > max_per_model_))
    s.samples.pop_front();
}

void Stats::visit(std::string_view model_id, int64_t since_ms,
                  const std::function<void(const Sample&)>& visit) const {
  const Series* s = series(model_id);
  if (!s) return;
  std::lock_guard lock(s->mutex);
  auto first = std::lower_bound(s->samples.begin(), s->samples.end(), since_ms,
                                [](const Sample& a, int64_t t) { return a.timestamp_ms < t; });
  for (auto it = first; it != s->samples.end(); ++it) visit(*it);
}

std::size_t Stats::size(std::string_view model_id) const {
  const Series* s = series(model_id);
  if (!s) return 0;
  std::lock_guard lock(s->mutex);
  return s->samples.size();
}

}  // namespace routerly::routing
