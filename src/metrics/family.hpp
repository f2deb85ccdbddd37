#pragma once
// One metric family (counter, gauge or histogram) with its labelled series. Series are
// created on first use and never removed. The per-event cost is one key build, a shared lock
// for the lookup (exclusive only when a new label set appears) and relaxed atomic updates.
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace routerly::metrics {

enum class Type { counter, gauge, histogram };

struct FamilySpec {
  std::string_view name;
  std::string_view help;
  Type type = Type::counter;
  std::vector<std::string_view> labels;
  std::vector<double> buckets;  // histograms: ascending upper bounds, +Inf implied
};

class Family {
 public:
  explicit Family(FamilySpec spec);
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  const FamilySpec& spec() const { return spec_; }
  // Counters and gauges: adds `delta` (counters must only grow: negative deltas are ignored).
  // `values` are given in the order of spec().labels.
  void add(std::initializer_list<std::string_view> values, double delta);
  // Histograms: records one observation.
  void observe(std::initializer_list<std::string_view> values, double value);
  // Appends HELP, TYPE and every series, series sorted by label values.
  void render(std::string& out) const;

 private:
  struct Series {
    std::vector<std::string> values;
    std::atomic<double> value{0};                      // counter / gauge
    std::unique_ptr<std::atomic<uint64_t>[]> buckets;  // histogram: per bucket, +Inf last
    std::atomic<double> sum{0};                        // histogram
  };
  Series& series(std::initializer_list<std::string_view> values);
  void render_labels(std::string& out, const Series& s, std::string_view le) const;

  FamilySpec spec_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Series>> series_;
};

}  // namespace routerly::metrics
