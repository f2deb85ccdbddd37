#pragma once
// The immutable configuration snapshot every request reads without locking, and the
// service that publishes a new one after each successful, persisted change.
#include <atomic>
#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "store/store.hpp"

namespace routerly::config {

struct Snapshot {
  uint64_t version = 0;
  store::ConfigDocuments docs;    // exactly as stored (docs.settings may be empty)
  boost::json::object settings;   // effective: stored + defaults + runtime overrides

  // Lookups; nullptr when absent. Pointers stay valid for the snapshot's lifetime.
  const boost::json::object* model(std::string_view id) const;
  const boost::json::object* project(std::string_view id_or_slug) const;
  const boost::json::object* token(std::string_view id) const;
  const boost::json::object* token_by_hash(std::string_view sha256_hex) const;
  const boost::json::object* user(std::string_view id) const;
  const boost::json::object* user_by_email(std::string_view email) const;  // case-insensitive
  const boost::json::object* role(std::string_view id) const;              // custom roles only
  std::vector<const boost::json::object*> project_tokens(std::string_view project_id) const;

  // Builds the indexes; called once per snapshot.
  void index();

 private:
  std::unordered_map<std::string, const boost::json::object*> models_, projects_, slugs_, tokens_,
      token_hashes_, users_, emails_, roles_;
};

// Mutable working copy handed to ConfigService::update. Records what it changes so that
// exactly those documents are written.
class Draft {
 public:
  explicit Draft(const store::ConfigDocuments& base) : docs_(base) {}
  const store::ConfigDocuments& docs() const { return docs_; }
  std::vector<boost::json::object>& list(store::Collection c);
  // Inserts or replaces the document with the same "id".
  void upsert(store::Collection c, boost::json::object doc);
  void remove(store::Collection c, std::string_view id);
  void set_settings(boost::json::object settings);
  store::ConfigChanges take_changes() { return std::move(changes_); }
  store::ConfigDocuments take_docs() { return std::move(docs_); }

 private:
  store::ConfigDocuments docs_;
  store::ConfigChanges changes_;
};

class ConfigService {
 public:
  // `decorate` turns stored settings into effective settings (defaults + env overrides).
  ConfigService(store::Store& store, std::function<boost::json::object(boost::json::object)> decorate);

  // Loads everything from the store and publishes the first snapshot.
  Result<void> load();

  std::shared_ptr<const Snapshot> current() const { return current_.load(std::memory_order_acquire); }

  // Serialises writers: runs `edit` on a draft of the current config; if it succeeds, writes
  // the recorded changes in one transaction and publishes the new snapshot. Nothing is
  // published (or written) when `edit` or the store fails.
  template <class T>
  Result<T> update(const std::function<Result<T>(Draft&)>& edit);

 private:
  Result<void> commit(Draft& draft);
  std::shared_ptr<const Snapshot> publish(store::ConfigDocuments docs);

  store::Store& store_;
  std::function<boost::json::object(boost::json::object)> decorate_;
  std::mutex write_mutex_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  uint64_t next_version_ = 1;
};

template <class T>
Result<T> ConfigService::update(const std::function<Result<T>(Draft&)>& edit) {
  std::lock_guard lock(write_mutex_);
  Draft draft(current()->docs);
  Result<T> result = edit(draft);
  if (!result) return result;
  if (auto committed = commit(draft); !committed) return std::unexpected(committed.error());
  return result;
}

}  // namespace routerly::config
