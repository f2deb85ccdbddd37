#pragma once
// Call latencies as counts per fixed, log-spaced bucket: what the usage rollups keep so that
// p50/p95/p99 over any set of rollup rows are a sum of histograms, never a pass over raw rows.
// Bucket 0 holds 0 ms; from 1 ms every bucket starts at most 15 % above the previous one (one
// millisecond apart while that is wider), the last one is open-ended (15.5 min and more). A
// percentile read back is the bucket's midpoint, so it is within ~7.5 % of the true value.
// Pure, and shared by the store backends: each keeps the counts in its own column format.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace routerly::store {

class LatencyHistogram {
 public:
  static constexpr std::size_t kBuckets = 96;

  // First latency (ms) of bucket i; lower_bound(kBuckets) is past every bucket.
  static int64_t lower_bound(std::size_t bucket);
  static std::size_t bucket_of(int64_t latency_ms);

  void add(int64_t latency_ms, int64_t count = 1) { counts_[bucket_of(latency_ms)] += count; }
  // Adds (sign 1) or removes (sign -1) another histogram's counts; a count never goes below 0.
  void merge(const LatencyHistogram& other, int sign = 1);
  int64_t total() const;
  int64_t count(std::size_t bucket) const { return counts_[bucket]; }
  // The latency below which a fraction q (0..1] of the calls fall, as the midpoint of the
  // bucket holding that rank; 0 when empty.
  double percentile(double q) const;

  // Sparse bytes: for each non-empty bucket, its index (one byte) then its count (LEB128).
  // An empty histogram is an empty string. decode() ignores what it cannot read.
  std::string encode() const;
  static LatencyHistogram decode(std::string_view bytes);

  bool operator==(const LatencyHistogram&) const = default;

 private:
  std::array<int64_t, kBuckets> counts_{};
};

}  // namespace routerly::store
