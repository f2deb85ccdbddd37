#include "gateway/stats_feed.hpp"

#include <spdlog/spdlog.h>

namespace routerly::gateway {

std::shared_ptr<routing::Stats> start_stats_feed(store::Store& store, usage::Writer& writer, int64_t now_ms) {
  auto stats = std::make_shared<routing::Stats>();
  if (auto loaded = stats->load_from(store, now_ms); !loaded) {
    spdlog::error("routing: could not load usage history: {}", loaded.error().message);
  }
  writer.subscribe([stats](const store::UsageRow& row) { stats->record(row); });
  return stats;
}

}  // namespace routerly::gateway
