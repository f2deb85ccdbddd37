#pragma once
// Wires the routing history (routing/stats.hpp): loaded from the stored usage rows at start,
// then fed by every record the usage writer commits.
#include <memory>

#include "routing/stats.hpp"
#include "store/store.hpp"
#include "usage/writer.hpp"

namespace routerly::gateway {

// The listener holds the returned pointer, so the history outlives whichever goes first.
std::shared_ptr<routing::Stats> start_stats_feed(store::Store& store, usage::Writer& writer, int64_t now_ms);

}  // namespace routerly::gateway
