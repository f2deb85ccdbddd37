#include "store/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

using routerly::store::LatencyHistogram;

TEST(LatencyHistogram, BucketsStartAtTheirBoundsAndGrowAtMostFifteenPercent) {
  EXPECT_EQ(LatencyHistogram::bucket_of(0), 0u);
  EXPECT_EQ(LatencyHistogram::bucket_of(-5), 0u);
  EXPECT_EQ(LatencyHistogram::bucket_of(1), 1u);
  for (std::size_t i = 1; i < LatencyHistogram::kBuckets; ++i) {
    const int64_t lo = LatencyHistogram::lower_bound(i);
    EXPECT_EQ(LatencyHistogram::bucket_of(lo), i);
    EXPECT_EQ(LatencyHistogram::bucket_of(lo - 1), i - 1);
    const int64_t next = LatencyHistogram::lower_bound(i + 1);
    if (i + 1 < LatencyHistogram::kBuckets) {
      EXPECT_TRUE(next == lo + 1 || next <= lo * 115 / 100) << i;
    }
  }
  EXPECT_EQ(LatencyHistogram::bucket_of(int64_t{1} << 50), LatencyHistogram::kBuckets - 1);
}

TEST(LatencyHistogram, EncodesSparselyAndDecodesBack) {
  LatencyHistogram h;
  EXPECT_EQ(h.encode(), "");
  h.add(0);
  h.add(250, 3);
  h.add(250'000, 1'000'000);
  const std::string bytes = h.encode();
  EXPECT_LE(bytes.size(), 8u);
  EXPECT_EQ(LatencyHistogram::decode(bytes), h);
  EXPECT_EQ(LatencyHistogram::decode(bytes.substr(0, bytes.size() - 1)).total(), 4);  // torn tail dropped
}

TEST(LatencyHistogram, MergeAddsAndSubtractsWithoutGoingNegative) {
  LatencyHistogram a, b;
  a.add(10, 5);
  b.add(10, 2);
  b.add(900, 1);
  a.merge(b);
  EXPECT_EQ(a.total(), 8);
  a.merge(b, -1);
  EXPECT_EQ(a.total(), 5);
  a.merge(b, -1);
  a.merge(b, -1);
  EXPECT_EQ(a.count(LatencyHistogram::bucket_of(10)), 1);
  EXPECT_EQ(a.count(LatencyHistogram::bucket_of(900)), 0);
}

TEST(LatencyHistogram, PercentilesAreWithinTheBucketWidthOfTheExactValue) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(6.0, 1.2);  // median ~400 ms, long tail
  std::vector<int64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 20'000; ++i) {
    const auto v = static_cast<int64_t>(latency(rng));
    values.push_back(v);
    h.add(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.95, 0.99}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    const double exact = static_cast<double>(values[rank - 1]);
    EXPECT_NEAR(h.percentile(q), exact, exact * 0.08 + 1) << q;
  }
  EXPECT_EQ(LatencyHistogram().percentile(0.5), 0);
  LatencyHistogram small;
  small.add(3);
  EXPECT_EQ(small.percentile(0.99), 3);  // one-millisecond buckets read back exactly
}

}  // namespace
