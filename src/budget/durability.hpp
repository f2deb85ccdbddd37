#pragma once
// A write the caller must see durable before it may act on it (a budget lease): settled once,
// by whoever performs the write, with whether it succeeded. Thread-safe.
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace routerly::budget {

class Durability {
 public:
  // Runs `done(ok)` once the write is settled: at once, on this thread, when it already is;
  // otherwise on the settling thread (keep it cheap: post to where the work belongs).
  void on_settled(std::function<void(bool ok)> done);
  // The first call wins; later ones are ignored.
  void settle(bool ok);
  // nullopt while the write is pending.
  std::optional<bool> result() const;

 private:
  mutable std::mutex mutex_;
  std::optional<bool> result_;
  std::vector<std::function<void(bool)>> waiters_;
};

}  // namespace routerly::budget
