#pragma once
// A Store for writer tests: delegates to a real one; insert_usage can be made to fail (a number
// of times, or until told otherwise) or to take a while, and is counted.
#include <atomic>
#include <chrono>
#include <thread>

#include "store/store.hpp"

namespace routerly::testing_support {

class FlakyStore : public store::Store {
 public:
  explicit FlakyStore(store::Store& inner) : inner_(inner) {}
  std::atomic<int> failures{0};        // the next N inserts fail
  std::atomic<bool> down{false};       // every insert fails while set
  std::atomic<int> delay_ms{0};        // each insert takes this long first
  std::atomic<int> inserts{0};
  std::atomic<int> sync_on{0}, sync_off{0};  // set_sync_commits calls
  std::atomic<bool> sync_now{false};
  std::atomic<std::size_t> largest_batch{0};
  std::atomic<std::size_t> committed_unsynced{0};  // rows committed while sync commits were off

  Result<void> insert_usage(const std::vector<store::UsageRow>& rows) override {
    ++inserts;
    if (rows.size() > largest_batch) largest_batch = rows.size();
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms.load()));
    if (down) return fail(ErrorCode::internal_error, "database is locked");
    if (failures > 0) {
      --failures;
      return fail(ErrorCode::internal_error, "disk full");
    }
    auto ok = inner_.insert_usage(rows);
    if (ok && !sync_now) committed_unsynced += rows.size();
    return ok;
  }
  Result<void> set_sync_commits(bool on) override {
    ++(on ? sync_on : sync_off);
    sync_now = on;
    return inner_.set_sync_commits(on);
  }
  Result<store::ConfigDocuments> load_config() override { return inner_.load_config(); }
  Result<void> save_config(const store::ConfigChanges& c) override { return inner_.save_config(c); }
  Result<void> create_session(const store::Session& s, std::string_view h) override {
    return inner_.create_session(s, h);
  }
  Result<std::optional<store::Session>> get_session(std::string_view id) override { return inner_.get_session(id); }
  Result<std::optional<store::RefreshLookup>> find_refresh(std::string_view h) override {
    return inner_.find_refresh(h);
  }
  Result<bool> rotate_refresh(std::string_view s, std::string_view o, std::string_view n, int64_t t) override {
    return inner_.rotate_refresh(s, o, n, t);
  }
  Result<void> revoke_session(std::string_view id) override { return inner_.revoke_session(id); }
  Result<void> revoke_user_sessions(std::string_view u, std::string_view k) override {
    return inner_.revoke_user_sessions(u, k);
  }
  Result<store::UsageQueryResult> query_usage(const store::UsageQuery& q) override { return inner_.query_usage(q); }
  Result<std::optional<store::UsageRow>> get_usage(std::string_view id) override { return inner_.get_usage(id); }
  Result<std::vector<store::UsageRow>> usage_by_trace(std::string_view t) override {
    return inner_.usage_by_trace(t);
  }
  Result<std::vector<store::UsageRow>> usage_since(int64_t s) override { return inner_.usage_since(s); }
  Result<void> put_response(std::string_view id, std::string_view p, const boost::json::object& d,
                            int64_t e) override {
    return inner_.put_response(id, p, d, e);
  }
  Result<std::optional<boost::json::object>> get_response(std::string_view id, std::string_view p,
                                                          int64_t n) override {
    return inner_.get_response(id, p, n);
  }
  Result<void> check_writable() override { return inner_.check_writable(); }

 private:
  store::Store& inner_;
};

}  // namespace routerly::testing_support
