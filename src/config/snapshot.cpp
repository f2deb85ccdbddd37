#include "config/snapshot.hpp"

#include <algorithm>
#include <cctype>

namespace routerly::config {

namespace {

namespace json = boost::json;

std::string_view string_member(const json::object& doc, std::string_view key) {
  const auto* v = doc.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view{};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

using Index = std::unordered_map<std::string, const json::object*>;

// First document wins on duplicate keys, matching the order the store returns them in.
void add(Index& index, std::string_view key, const json::object& doc) {
  if (!key.empty()) index.emplace(std::string(key), &doc);
}

const json::object* find(const Index& index, std::string_view key) {
  auto it = index.find(std::string(key));
  return it == index.end() ? nullptr : it->second;
}

}  // namespace

void Snapshot::index() {
  models_.clear();
  projects_.clear();
  slugs_.clear();
  tokens_.clear();
  token_hashes_.clear();
  users_.clear();
  emails_.clear();
  roles_.clear();
  for (const auto& m : docs.models) add(models_, string_member(m, "id"), m);
  for (const auto& p : docs.projects) {
    add(projects_, string_member(p, "id"), p);
    add(slugs_, string_member(p, "slug"), p);
  }
  for (const auto& t : docs.tokens) {
    add(tokens_, string_member(t, "id"), t);
    add(token_hashes_, string_member(t, "hash"), t);
  }
  for (const auto& u : docs.users) {
    add(users_, string_member(u, "id"), u);
    add(emails_, lower(string_member(u, "email")), u);
  }
  for (const auto& r : docs.roles) add(roles_, string_member(r, "id"), r);
}

const json::object* Snapshot::model(std::string_view id) const {
  return find(models_, id);
}

// Ids win over slugs: an id is never ambiguous, a slug could equal another project's id.
const json::object* Snapshot::project(std::string_view id_or_slug) const {
  if (const auto* p = find(projects_, id_or_slug)) return p;
  return find(slugs_, id_or_slug);
}

const json::object* Snapshot::token(std::string_view id) const {
  return find(tokens_, id);
}

const json::object* Snapshot::token_by_hash(std::string_view sha256_hex) const {
  return find(token_hashes_, sha256_hex);
}

const json::object* Snapshot::user(std::string_view id) const {
  return find(users_, id);
}

const json::object* Snapshot::user_by_email(std::string_view email) const {
  return find(emails_, lower(email));
}

const json::object* Snapshot::role(std::string_view id) const {
  return find(roles_, id);
}

std::vector<const json::object*> Snapshot::project_tokens(std::string_view project_id) const {
  std::vector<const json::object*> out;
  if (project_id.empty()) return out;
  for (const auto& t : docs.tokens) {
    if (string_member(t, "projectId") == project_id) out.push_back(&t);
  }
  return out;
}

std::vector<json::object>& Draft::list(store::Collection c) {
  switch (c) {
    case store::Collection::models:
      return docs_.models;
    case store::Collection::projects:
      return docs_.projects;
    case store::Collection::tokens:
      return docs_.tokens;
    case store::Collection::users:
      return docs_.users;
    case store::Collection::roles:
      return docs_.roles;
  }
  return docs_.models;  // unreachable: every enumerator is handled above
}

void Draft::upsert(store::Collection c, json::object doc) {
  std::string id(string_member(doc, "id"));
  auto& docs = list(c);
  auto it = std::find_if(docs.begin(), docs.end(),
                         [&](const json::object& d) { return string_member(d, "id") == id; });
  changes_.changes.push_back(store::Change{c, id, doc});
  if (it != docs.end()) {
    *it = std::move(doc);  // keeps its position, as the store does
  } else {
    docs.push_back(std::move(doc));
  }
}

void Draft::remove(store::Collection c, std::string_view id) {
  auto& docs = list(c);
  auto it = std::find_if(docs.begin(), docs.end(),
                         [&](const json::object& d) { return string_member(d, "id") == id; });
  if (it == docs.end()) return;
  docs.erase(it);
  changes_.changes.push_back(store::Change{c, std::string(id), std::nullopt});
}

void Draft::set_settings(json::object settings) {
  changes_.settings = settings;
  docs_.settings = std::move(settings);
}

ConfigService::ConfigService(store::Store& store, std::function<json::object(json::object)> decorate)
    : store_(store), decorate_(std::move(decorate)) {
  // An empty snapshot until load(): current() is never null.
  publish(store::ConfigDocuments{});
}

Result<void> ConfigService::load() {
  std::lock_guard lock(write_mutex_);
  auto docs = store_.load_config();
  if (!docs) return std::unexpected(docs.error());
  publish(std::move(*docs));
  return {};
}

Result<void> ConfigService::commit(Draft& draft) {
  store::ConfigChanges changes = draft.take_changes();
  if (changes.changes.empty() && !changes.settings) return {};  // nothing to write or publish
  if (auto saved = store_.save_config(changes); !saved) return saved;
  publish(draft.take_docs());
  return {};
}

std::shared_ptr<const Snapshot> ConfigService::publish(store::ConfigDocuments docs) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->version = next_version_++;
  snapshot->docs = std::move(docs);
  snapshot->settings = decorate_ ? decorate_(snapshot->docs.settings) : snapshot->docs.settings;
  snapshot->index();  // after the docs reached their final address: the index points into them
  std::shared_ptr<const Snapshot> published = std::move(snapshot);
  current_.store(published, std::memory_order_release);
  return published;
}

}  // namespace routerly::config
