// The usage writer's replay of the spool (see writer.hpp): reading segments oldest first,
// committing their records durably, removing a segment once all of it is committed. Runs on
// the store thread, or in the constructor before the threads start.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

#include "usage/writer.hpp"

namespace routerly::usage {

namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

// Replayed rows are committed durably: their segment is removed afterwards. A batch a
// previous run committed just before it crashed (its segment not removed yet) fails on its
// ids; then only the rows the store lacks are inserted.
Result<void> Writer::insert_replayed(const std::vector<store::UsageRow>& rows) {
  auto inserted = insert(rows, true);
  if (inserted) return inserted;
  std::vector<store::UsageRow> missing;
  for (const auto& row : rows) {
    auto found = store_.get_usage(row.id);
    if (!found) return inserted;  // the store does not answer either: it is unavailable
    if (!found->has_value()) missing.push_back(row);
  }
  if (missing.size() == rows.size()) return inserted;  // no duplicate: the failure stands
  spdlog::info("usage writer: {} replayed usage record(s) were already in the store (committed before a crash)",
               rows.size() - missing.size());
  if (missing.empty()) return {};
  return insert(missing, true);
}

Writer::Loaded Writer::load_next_segment() {
  while (auto segment = spool_->take_oldest()) {
    auto read = spool_->read(*segment);
    if (!read) {
      spdlog::error("usage writer: cannot read the usage spool: {}", read.error().message);
      return Loaded::failed;
    }
    if (read->rows.empty()) {
      if (auto removed = spool_->remove(*segment); !removed) {
        spdlog::error("usage writer: {}", removed.error().message);
        return Loaded::failed;
      }
      continue;
    }
    replay_ = Replay{*segment, std::move(read->rows), 0};
    return Loaded::loaded;
  }
  return Loaded::empty;
}

bool Writer::load_segment(std::unique_lock<std::mutex>& lock) {
  const uint64_t appends_seen = spool_appends_;
  lock.unlock();
  const Loaded loaded = load_next_segment();
  lock.lock();
  if (loaded == Loaded::empty) spool_checked_ = appends_seen;
  if (loaded == Loaded::failed) store_failed(Clock::now());
  return loaded == Loaded::loaded;
}

void Writer::replay_batch(std::unique_lock<std::mutex>& lock) {
  Replay& replay = *replay_;
  const std::size_t end = std::min(replay.rows.size(), replay.next + options_.max_batch);
  std::vector<store::UsageRow> rows(std::make_move_iterator(replay.rows.begin() + replay.next),
                                    std::make_move_iterator(replay.rows.begin() + end));
  store_call_started_ = Clock::now();
  lock.unlock();
  auto inserted = insert_replayed(rows);
  const bool finished = inserted && end == replay.rows.size();
  Result<void> removed;
  if (finished) removed = spool_->remove(replay.segment);
  lock.lock();
  store_call_started_.reset();
  if (!inserted) {
    spdlog::warn("usage writer: replaying spooled usage records failed ({}); retrying later", inserted.error().message);
    std::move(rows.begin(), rows.end(), replay.rows.begin() + replay.next);
    store_failed(Clock::now());
    return;
  }
  replayed_ += rows.size();
  replay.next = end;
  if (store_failing_) spdlog::info("usage writer: the store takes usage records again");
  store_failing_ = false;
  retry_delay_ = options_.retry_min;
  if (!finished) return;
  // A segment that cannot be removed is replayed again at the next start (as duplicates,
  // which the replay skips).
  if (!removed) spdlog::error("usage writer: {}", removed.error().message);
  replay_.reset();
  settled_cv_.notify_all();
}

void Writer::replay_at_start() {
  if (spool_->empty()) return;
  spdlog::info("usage writer: replaying usage records spooled by an earlier run ({})", spool_->directory().string());
  std::unique_lock lock(mutex_);
  while (!store_failing_ && (replay_ || load_segment(lock))) replay_batch(lock);
  if (store_failing_)
    spdlog::warn("usage writer: the store does not take the spooled records yet; they are replayed when it does");
  else
    spdlog::info("usage writer: replayed {} spooled usage record(s)", replayed_);
}

}  // namespace routerly::usage
