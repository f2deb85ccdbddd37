#include "gateway/runtime.hpp"

#include <spdlog/spdlog.h>

namespace routerly::gateway {

namespace json = boost::json;

namespace {

std::string_view text_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::optional<std::chrono::milliseconds> positive_ms(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  int64_t ms = 0;
  if (v->is_int64()) {
    ms = v->as_int64();
  } else if (v->is_uint64()) {
    ms = static_cast<int64_t>(v->as_uint64());
  } else if (v->is_double()) {
    ms = static_cast<int64_t>(v->as_double());
  } else {
    return std::nullopt;
  }
  if (ms <= 0) return std::nullopt;
  return std::chrono::milliseconds(ms);
}

bool model_enabled(const json::object& model) {
  const json::value* v = model.if_contains("enabled");
  return v == nullptr || !v->is_bool() || v->as_bool();
}

// The stored key: sealed (apiKeyEnc), or a legacy plain apiKey. Empty when none or unreadable.
std::string open_key(const json::object& model, const crypto::SecretBox& key_box) {
  std::string_view sealed = text_of(model, "apiKeyEnc");
  if (!sealed.empty()) {
    auto opened = key_box.open(sealed);
    if (opened) return std::move(*opened);
    spdlog::warn("model {}: stored API key cannot be decrypted ({}); calling without a key",
                 text_of(model, "id"), opened.error().message);
    return {};
  }
  return std::string(text_of(model, "apiKey"));
}

}  // namespace

std::shared_ptr<const Runtime> Runtime::compile(std::shared_ptr<const config::Snapshot> snapshot,
                                                const crypto::SecretBox& key_box) {
  auto runtime = std::make_shared<Runtime>();
  const config::Snapshot& snap = *snapshot;
  if (auto t = positive_ms(snap.settings, "defaultTimeoutMs")) runtime->default_timeout_ = *t;

  // Each model is compiled once even when several projects use it.
  std::unordered_map<std::string, std::optional<providers::Target>> targets;
  auto target_of = [&](const json::object& model) -> const std::optional<providers::Target>& {
    std::string id(text_of(model, "id"));
    auto found = targets.find(id);
    if (found != targets.end()) return found->second;
    std::optional<providers::Target> compiled;
    if (model_enabled(model)) {
      auto made = providers::make_target(model, open_key(model, key_box));
      if (made) {
        compiled = std::move(*made);
      } else {
        spdlog::warn("model {} cannot be called: {}", id, made.error().message);
      }
    }
    return targets.emplace(std::move(id), std::move(compiled)).first->second;
  };

  for (const auto& project : snap.docs.projects) {
    auto view = std::make_unique<ProjectView>();
    view->doc = &project;
    view->id = std::string(text_of(project, "id"));
    view->slug = std::string(text_of(project, "slug"));
    view->timeout = positive_ms(project, "timeoutMs");
    if (const json::value* refs = project.if_contains("models"); refs != nullptr && refs->is_array()) {
      for (const auto& ref : refs->as_array()) {
        if (!ref.is_object()) continue;
        std::string_view model_id = text_of(ref.as_object(), "modelId");
        if (model_id.empty()) continue;
        view->referenced.emplace_back(model_id);
        const json::object* model = snap.model(model_id);
        if (model == nullptr) continue;
        const auto& target = target_of(*model);
        if (!target) continue;
        view->candidates.push_back(Candidate{*target, model, &ref.as_object()});
      }
    }
    runtime->project_index_.emplace(view->id, view.get());
    if (!view->slug.empty()) runtime->project_index_.emplace(view->slug, view.get());
    runtime->projects_.push_back(std::move(view));
  }

  for (const auto& token : snap.docs.tokens) {
    std::string_view hash = text_of(token, "hash");
    auto project = runtime->project_index_.find(std::string(text_of(token, "projectId")));
    if (hash.empty() || project == runtime->project_index_.end()) continue;
    runtime->tokens_.emplace(std::string(hash),
                             TokenView{project->second, std::string(text_of(token, "id")), &token});
  }
  runtime->snapshot_ = std::move(snapshot);
  return runtime;
}

const TokenView* Runtime::token_by_hash(std::string_view sha256_hex) const {
  auto found = tokens_.find(std::string(sha256_hex));
  return found == tokens_.end() ? nullptr : &found->second;
}

const ProjectView* Runtime::project(std::string_view id_or_slug) const {
  auto found = project_index_.find(std::string(id_or_slug));
  return found == project_index_.end() ? nullptr : found->second;
}

std::chrono::milliseconds attempt_timeout(const Runtime& runtime, const ProjectView& project,
                                          const providers::Target& target) {
  if (target.timeout && target.timeout->count() > 0) return *target.timeout;
  if (project.timeout) return *project.timeout;
  return runtime.default_timeout();
}

std::shared_ptr<const Runtime> RuntimeCache::get() {
  std::shared_ptr<const config::Snapshot> snapshot = config_.current();
  // Per-thread memo: the common case touches no shared state besides the snapshot pointer.
  struct Memo {
    const RuntimeCache* owner = nullptr;
    std::shared_ptr<const Runtime> runtime;
  };
  thread_local Memo memo;
  if (memo.owner == this && memo.runtime && memo.runtime->version() == snapshot->version &&
      &memo.runtime->snapshot() == snapshot.get())
    return memo.runtime;
  memo.owner = this;
  memo.runtime = rebuild(std::move(snapshot));
  return memo.runtime;
}

std::shared_ptr<const Runtime> RuntimeCache::rebuild(std::shared_ptr<const config::Snapshot> snapshot) {
  std::lock_guard lock(mutex_);
  if (!latest_ || &latest_->snapshot() != snapshot.get()) latest_ = Runtime::compile(std::move(snapshot), key_box_);
  return latest_;
}

}  // namespace routerly::gateway
