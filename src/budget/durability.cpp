#include "budget/durability.hpp"

namespace routerly::budget {

void Durability::on_settled(std::function<void(bool ok)> done) {
  std::optional<bool> settled;
  {
    std::lock_guard lock(mutex_);
    if (!result_) {
      waiters_.push_back(std::move(done));
      return;
    }
    settled = result_;
  }
  done(*settled);
}

void Durability::settle(bool ok) {
  std::vector<std::function<void(bool)>> waiters;
  {
    std::lock_guard lock(mutex_);
    if (result_) return;
    result_ = ok;
    waiters.swap(waiters_);
  }
  for (auto& w : waiters) w(ok);
}

std::optional<bool> Durability::result() const {
  std::lock_guard lock(mutex_);
  return result_;
}

}  // namespace routerly::budget
