#pragma once
// In-memory call history per model for the history-based policies (health, performance,
// rate-limit, fairness). Fed by every usage row (the usage writer's listener thread) and read
// by the I/O threads: one mutex per model, so a read of model A never waits on writes to B.
// Bounded: samples older than `retention` and beyond `max_per_model` are dropped.
#include <chrono>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "routing/policy.hpp"
#include "common/error.hpp"
#include "store/store.hpp"
#include "store/usage_rows.hpp"

namespace routerly::routing {

class Stats final : public StatsView {
 public:
  static constexpr int64_t kDefaultRetentionMs = 24LL * 3600 * 1000;
  static constexpr std::size_t kDefaultMaxPerModel = 100000;

  explicit Stats(int64_t retention_ms = kDefaultRetentionMs, std::size_t max_per_model = kDefaultMaxPerModel);
  ~Stats() override;

  // Start-up: rows (any order) newer than now − retention replace nothing, they are added.
  void load(const std::vector<store::UsageRow>& rows, int64_t now_ms);
  // Start-up, reading only this history's window from the store (through its time index, a
  // UsageSample per row, never the rows themselves); returns how many samples were added.
  Result<std::size_t> load_from(store::Store& store, int64_t now_ms);
  // One finished call.
  void record(const store::UsageRow& row);
  void record(std::string_view model_id, Sample sample);

  void visit(std::string_view model_id, int64_t since_ms,
             const std::function<void(const Sample&)>& visit) const override;
  std::size_t size(std::string_view model_id) const;

  static Sample sample_of(const store::UsageRow& row);
  static Sample sample_of(const store::UsageSample& row);

 private:
  struct Series;
  Series* series(std::string_view model_id) const;  // nullptr when unknown
  Series& series_for_write(std::string_view model_id);
  int64_t retention_ms_;
  std::size_t max_per_model_;
  mutable std::shared_mutex map_mutex_;
  std::unordered_map<std::string, std::unique_ptr<Series>> by_model_;
};

}  // namespace routerly::routing
