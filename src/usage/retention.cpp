#include "usage/retention.hpp"

#include <spdlog/spdlog.h>

#include "common/clock.hpp"

namespace routerly::usage {

namespace {
constexpr int64_t kDayMs = 86'400'000;
}  // namespace

Retention::Retention(store::Store& store, DaysSource days, std::chrono::milliseconds interval,
                     std::function<int64_t()> now_ms)
    : store_(store),
      days_(std::move(days)),
      interval_(interval),
      now_ms_(now_ms ? std::move(now_ms) : std::function<int64_t()>(clock::now_ms)) {
  if (interval_.count() > 0) thread_ = std::thread([this] { run(); });
}

Retention::~Retention() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<int64_t> Retention::run_once() {
  const std::optional<int64_t> days = days_ ? days_() : std::nullopt;
  if (!days || *days <= 0) return 0;
  return store_.purge_usage_before(now_ms_() - *days * kDayMs);
}

void Retention::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto purged = run_once();
    if (!purged) {
      spdlog::warn("usage retention: purge failed: {}", purged.error().message);
    } else if (*purged > 0) {
      spdlog::info("usage retention: deleted {} usage records", *purged);
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace routerly::usage
