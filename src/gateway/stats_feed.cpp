#include "gateway/stats_feed.hpp"

#include <spdlog/spdlog.h>

namespace routerly::gateway {

std::shared_ptr<routing::Stats> start_stats_feed(store::Store& store, usage::Writer& writer, int64_t now_ms) {
  auto stats = std::make_shared<routing::Stats>();
  if (auto rows = store.usage_since(now_ms - routing::Stats::kDefaultRetentionMs)) {
    stats->load(*rows, now_ms);
  } else {
    spdlog::error("routing: could not load usage history: {}", rows.error().message);
  }
  writer.subscribe([stats](const store::UsageRow& row) { stats->record(row); });
  return stats;
}

}  // namespace routerly::gateway
