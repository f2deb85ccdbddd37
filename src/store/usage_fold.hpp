#pragma once
// Folds usage (single rows or rollup sums) into the /api/usage aggregates: summary, by model,
// by project, timeline and series. Pure; the store feeds it from raw rows and from rollups
// alike, so both give the same answer for the same rows.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/latency_histogram.hpp"
#include "store/usage_rows.hpp"

namespace routerly::store {

// What a group of calls adds up to (one raw row: calls = 1).
struct FoldAmounts {
  int64_t calls = 0, input_tokens = 0, output_tokens = 0, cached_input_tokens = 0, latency_sum_ms = 0;
  double cost = 0;
};

class UsageFold {
 public:
  UsageFold(int64_t timeline_bucket_ms, int64_t series_bucket_ms)
      : timeline_ms_(timeline_bucket_ms), series_ms_(series_bucket_ms) {}

  // Calls that happened at `timestamp_ms` (or in the bucket starting there, which must not be
  // coarser than the timeline and series buckets). Their latencies go in through add_latency.
  void add(int64_t timestamp_ms, std::string_view model_id, std::string_view project_id, bool success,
           bool routing, const FoldAmounts& amounts);
  void add_latency(int64_t latency_ms) { latency_.add(latency_ms); }
  void add_latency(const LatencyHistogram& latencies) { latency_.merge(latencies); }

  // The folded aggregates; by_project slugs are left empty (the store looks them up).
  void finish(UsageQueryResult& out) const;

 private:
  template <typename Agg>
  struct Keyed {
    std::vector<std::pair<std::string, Agg>> list;
    std::size_t last = 0;
    Agg& at(std::string_view key);
  };
  int64_t timeline_ms_, series_ms_;
  Keyed<ModelAggregate> models_;
  Keyed<ProjectAggregate> projects_;
  std::map<int64_t, double> timeline_;  // bucket → success cost
  std::map<int64_t, SeriesPoint> series_;
  UsageSummary summary_;
  double latency_sum_ = 0;
  LatencyHistogram latency_;
};

// "YYYY-MM-DDTHH" for hour buckets, "YYYY-MM-DD" otherwise (UTC).
std::string bucket_key(int64_t bucket_start_ms, int64_t bucket_ms);

}  // namespace routerly::store
