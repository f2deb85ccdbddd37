#pragma once
// The proxy's compiled view of one configuration snapshot: what the hot path needs, indexed
// and ready (token hash → caller, project → callable targets with decrypted keys). Rebuilt
// only when the snapshot version changes; reading it costs one version comparison.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/crypto.hpp"
#include "config/snapshot.hpp"
#include "providers/adapter.hpp"

namespace routerly::gateway {

// One routable model of a project: the compiled target and its stored document.
struct Candidate {
  providers::Target target;
  const boost::json::object* model = nullptr;    // the model document (prices, capabilities)
  const boost::json::object* project_ref = nullptr;  // the project's {modelId, prompt?, limits?} entry
};

struct ProjectView {
  const boost::json::object* doc = nullptr;
  std::string id, slug;
  // The project's models in configured order: disabled models, ids missing from the registry
  // and models whose target cannot be built (unknown provider, no endpoint) are left out.
  std::vector<Candidate> candidates;
  std::vector<std::string> referenced;  // every model id the project lists, resolvable or not
  std::optional<std::chrono::milliseconds> timeout;  // project.timeoutMs
};

struct TokenView {
  const ProjectView* project = nullptr;
  std::string token_id;
  const boost::json::object* doc = nullptr;
};

class Runtime {
 public:
  // Compiles a snapshot; keys are opened with `key_box` (an unreadable key compiles as empty
  // and is logged once, without the key).
  static std::shared_ptr<const Runtime> compile(std::shared_ptr<const config::Snapshot> snapshot,
                                                const crypto::SecretBox& key_box);

  uint64_t version() const { return snapshot_->version; }
  const config::Snapshot& snapshot() const { return *snapshot_; }
  const boost::json::object& settings() const { return snapshot_->settings; }

  // nullptr when unknown.
  const TokenView* token_by_hash(std::string_view sha256_hex) const;
  const ProjectView* project(std::string_view id_or_slug) const;

  // settings.defaultTimeoutMs, else 30000.
  std::chrono::milliseconds default_timeout() const { return default_timeout_; }

 private:
  std::shared_ptr<const config::Snapshot> snapshot_;
  std::vector<std::unique_ptr<ProjectView>> projects_;
  std::unordered_map<std::string, const ProjectView*> project_index_;  // id and slug
  std::unordered_map<std::string, TokenView> tokens_;                 // by sha256 hex
  std::chrono::milliseconds default_timeout_{30000};
};

// SPEC §00 P12: model.timeout → project.timeoutMs → settings.defaultTimeoutMs.
std::chrono::milliseconds attempt_timeout(const Runtime& runtime, const ProjectView& project,
                                          const providers::Target& target);

// Hands out the Runtime of the current snapshot. get() is the hot-path call: one atomic load
// of the snapshot pointer (ConfigService::current) and a per-thread version comparison; a
// new snapshot is compiled once (under a mutex) and shared by every thread.
class RuntimeCache {
 public:
  RuntimeCache(config::ConfigService& config, const crypto::SecretBox& key_box)
      : config_(config), key_box_(key_box) {}
  std::shared_ptr<const Runtime> get();

 private:
  std::shared_ptr<const Runtime> rebuild(std::shared_ptr<const config::Snapshot> snapshot);
  config::ConfigService& config_;
  const crypto::SecretBox& key_box_;
  std::mutex mutex_;
  std::shared_ptr<const Runtime> latest_;  // guarded by mutex_
};

}  // namespace routerly::gateway
