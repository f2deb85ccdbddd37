#include "store/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace routerly::store {

namespace {

// Integer arithmetic only, so every build places a latency in the same bucket.
constexpr std::array<int64_t, LatencyHistogram::kBuckets + 1> make_bounds() {
  std::array<int64_t, LatencyHistogram::kBuckets + 1> b{};
  b[0] = 0;
  b[1] = 1;
  for (std::size_t i = 2; i < b.size(); ++i) b[i] = std::max(b[i - 1] + 1, b[i - 1] * 115 / 100);
  return b;
}

constexpr auto kBounds = make_bounds();

}  // namespace

int64_t LatencyHistogram::lower_bound(std::size_t bucket) {
  return kBounds[std::min(bucket, kBuckets)];
}

std::size_t LatencyHistogram::bucket_of(int64_t latency_ms) {
  if (latency_ms <= 0) return 0;
  // The last bound starting at or below the latency; the final bucket takes everything above.
  auto it = std::upper_bound(kBounds.begin(), kBounds.begin() + kBuckets, latency_ms);
  return static_cast<std::size_t>(it - kBounds.begin()) - 1;
}

void LatencyHistogram::merge(const LatencyHistogram& other, int sign) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] = std::max<int64_t>(0, counts_[i] + sign * other.counts_[i]);
}

int64_t LatencyHistogram::total() const {
  int64_t sum = 0;
  for (int64_t c : counts_) sum += c;
  return sum;
}

double LatencyHistogram::percentile(double q) const {
  const int64_t n = total();
  if (n == 0) return 0;
  // The rank of the q-quantile among n sorted samples (1-based, nearest-rank definition).
  const auto rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * static_cast<double>(n))));
  int64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen < rank) continue;
    const int64_t lo = kBounds[i];
    if (i + 1 == kBuckets) return static_cast<double>(lo);  // open-ended: its start is all we know
    const int64_t last = kBounds[i + 1] - 1;                // bucket i holds [lo, last]
    return static_cast<double>(lo + last) / 2.0;
  }
  return static_cast<double>(kBounds[kBuckets - 1]);
}

std::string LatencyHistogram::encode() const {
  std::string out;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    auto c = static_cast<uint64_t>(counts_[i]);
    if (c == 0) continue;
    out += static_cast<char>(i);
    do {
      const auto low = static_cast<unsigned char>(c & 0x7f);
      c >>= 7;
      out += static_cast<char>(c != 0 ? (low | 0x80) : low);
    } while (c != 0);
  }
  return out;
}

LatencyHistogram LatencyHistogram::decode(std::string_view bytes) {
  LatencyHistogram h;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const auto index = static_cast<unsigned char>(bytes[pos++]);
    uint64_t value = 0;
    int shift = 0;
    bool complete = false;
    while (pos < bytes.size() && shift < 63) {
      const auto byte = static_cast<unsigned char>(bytes[pos++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) == 0) {
        complete = true;
        break;
      }
    }
    if (!complete || index >= kBuckets) break;
    h.counts_[index] += static_cast<int64_t>(value);
  }
  return h;
}

}  // namespace routerly::store
