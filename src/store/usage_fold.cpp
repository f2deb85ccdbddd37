#include "store/usage_fold.hpp"

#include <algorithm>

#include "common/clock.hpp"

namespace routerly::store {

namespace {
constexpr int64_t kHourMs = 3'600'000;

int64_t floor_div(int64_t v, int64_t unit) {
  return (v >= 0 ? v : v - unit + 1) / unit;
}
}  // namespace

std::string bucket_key(int64_t bucket_start_ms, int64_t bucket_ms) {
  const std::size_t key_length = bucket_ms == kHourMs ? 13 : 10;  // YYYY-MM-DDTHH / YYYY-MM-DD
  return clock::iso_utc(bucket_start_ms).substr(0, key_length);
}

// A short list (few distinct models/projects), remembering the last hit because consecutive
// rows usually share it.
template <typename Agg>
Agg& UsageFold::Keyed<Agg>::at(std::string_view key) {
  if (last < list.size() && list[last].first == key) return list[last].second;
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == key; });
  if (it == list.end()) it = list.insert(list.end(), {std::string(key), Agg{}});
  last = static_cast<std::size_t>(it - list.begin());
  return it->second;
}

void UsageFold::add(int64_t timestamp_ms, std::string_view model_id, std::string_view project_id, bool success,
                    bool routing, const FoldAmounts& a) {
  UsageSummary& s = summary_;
  s.total_calls += a.calls;
  latency_sum_ += static_cast<double>(a.latency_sum_ms);
  ModelAggregate& model = models_.at(model_id);
  model.calls += a.calls;
  model.input_tokens += a.input_tokens;
  model.output_tokens += a.output_tokens;
  model.cached_input_tokens += a.cached_input_tokens;
  model.cost += a.cost;
  ProjectAggregate& project = projects_.at(project_id);
  project.calls += a.calls;
  project.input_tokens += a.input_tokens;
  project.output_tokens += a.output_tokens;
  project.cost += a.cost;
  SeriesPoint& point = series_[floor_div(timestamp_ms, series_ms_)];
  point.calls += a.calls;
  point.input_tokens += a.input_tokens;
  point.output_tokens += a.output_tokens;
  point.cost += a.cost;
  if (routing) s.routing_calls += a.calls;
  if (!success) {
    model.errors += a.calls;
    project.errors += a.calls;
    point.errors += a.calls;
    return;
  }
  s.success_calls += a.calls;
  s.total_cost += a.cost;
  if (routing) s.routing_cost += a.cost;
  timeline_[floor_div(timestamp_ms, timeline_ms_)] += a.cost;
}

void UsageFold::finish(UsageQueryResult& out) const {
  UsageSummary s = summary_;
  s.completion_calls = s.total_calls - s.routing_calls;
  s.completion_cost = s.total_cost - s.routing_cost;
  s.avg_latency_ms = s.total_calls > 0 ? latency_sum_ / static_cast<double>(s.total_calls) : 0;
  s.latency_p50_ms = latency_.percentile(0.50);
  s.latency_p95_ms = latency_.percentile(0.95);
  s.latency_p99_ms = latency_.percentile(0.99);
  out.summary = s;
  out.total_rows = s.total_calls;
  for (const auto& [model, agg] : models_.list) out.by_model.emplace(model, agg);
  for (const auto& [id, agg] : projects_.list) out.by_project.emplace(id, agg);
  for (const auto& [bucket, cost] : timeline_) out.timeline.emplace_back(bucket_key(bucket * timeline_ms_, timeline_ms_), cost);
  for (const auto& [bucket, point] : series_) {
    out.series.push_back(point);
    out.series.back().bucket = bucket_key(bucket * series_ms_, series_ms_);
  }
}

}  // namespace routerly::store
