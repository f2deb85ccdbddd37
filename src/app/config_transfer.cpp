#include "app/config_transfer.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "config/paths.hpp"

namespace routerly::app {

namespace json = boost::json;

namespace {

constexpr std::string_view kFormat = "routerly-config/1";

// Fields that hold secrets (sealed keys, password hashes) never leave the store.
json::array strip(const std::vector<json::object>& docs, std::initializer_list<std::string_view> secret_fields) {
  json::array out;
  for (auto doc : docs) {
    for (auto field : secret_fields) doc.erase(field);
    out.push_back(std::move(doc));
  }
  return out;
}

Result<std::vector<json::object>> objects_of(const json::object& document, std::string_view key) {
  std::vector<json::object> out;
  const auto* v = document.if_contains(key);
  if (!v) return out;
  if (!v->is_array()) return fail(ErrorCode::validation_error, "field '" + std::string(key) + "' must be an array");
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    const auto& item = v->as_array()[i];
    const auto* id = item.is_object() ? item.as_object().if_contains("id") : nullptr;
    if (!id || !id->is_string() || id->as_string().empty())
      return fail(ErrorCode::validation_error,
                  "field '" + std::string(key) + "[" + std::to_string(i) + "]' must be an object with a string 'id'");
    out.push_back(item.as_object());
  }
  return out;
}

const json::object* find_by_id(const std::vector<json::object>& docs, std::string_view id) {
  for (const auto& d : docs)
    if (const auto* v = d.if_contains("id"); v && v->is_string() && v->as_string() == id) return &d;
  return nullptr;
}

}  // namespace

json::object export_config(const store::ConfigDocuments& docs) {
  json::object out;
  out["format"] = kFormat;
  out["exportedAt"] = clock::iso_now();
  out["settings"] = docs.settings;
  out["models"] = strip(docs.models, {"apiKeyEnc", "apiKeyHint", "apiKey"});
  out["projects"] = strip(docs.projects, {});
  out["tokens"] = strip(docs.tokens, {});  // hashes only: a hash cannot be turned back into a token
  out["users"] = strip(docs.users, {"passwordHash"});
  out["roles"] = strip(docs.roles, {});
  return out;
}

Result<std::string> import_config(store::Store& store, const json::value& document) {
  if (!document.is_object()) return fail(ErrorCode::validation_error, "the import file must hold a JSON object");
  const auto& doc = document.as_object();
  if (const auto* f = doc.if_contains("format"); !f || !f->is_string() || f->as_string() != kFormat)
    return fail(ErrorCode::validation_error, "field 'format' must be \"" + std::string(kFormat) + "\"");

  auto existing = store.load_config();
  if (!existing) return std::unexpected(existing.error());

  store::ConfigChanges changes;
  if (const auto* s = doc.if_contains("settings"); s) {
    if (!s->is_object()) return fail(ErrorCode::validation_error, "field 'settings' must be an object");
    changes.settings = s->as_object();
  }
  std::size_t count = 0;
  std::size_t without_password = 0;
  auto add = [&](std::string_view key, store::Collection collection,
                 const std::vector<json::object>& current) -> Result<void> {
    auto items = objects_of(doc, key);
    if (!items) return std::unexpected(items.error());
    for (auto& item : *items) {
      std::string id(item.at("id").as_string());
      const json::object* before = find_by_id(current, id);
      if (collection == store::Collection::models && before) {
        // An export carries no keys: keep the key already sealed in this store.
        for (auto field : {"apiKeyEnc", "apiKeyHint"})
          if (const auto* v = before->if_contains(field)) item[field] = *v;
      }
      if (collection == store::Collection::users && !item.contains("passwordHash")) {
        if (before && before->contains("passwordHash")) item["passwordHash"] = before->at("passwordHash");
        else {
          item["passwordHash"] = "!imported-no-password";  // never verifies: reset required
          ++without_password;
        }
      }
      changes.changes.push_back({collection, std::move(id), std::move(item)});
      ++count;
    }
    return {};
  };
  for (auto [key, collection, current] :
       {std::tuple{"models", store::Collection::models, &existing->models},
        std::tuple{"projects", store::Collection::projects, &existing->projects},
        std::tuple{"tokens", store::Collection::tokens, &existing->tokens},
        std::tuple{"users", store::Collection::users, &existing->users},
        std::tuple{"roles", store::Collection::roles, &existing->roles}}) {
    if (auto added = add(key, collection, *current); !added) return std::unexpected(added.error());
  }
  if (auto saved = store.save_config(changes); !saved) return std::unexpected(saved.error());
  std::string message = "imported " + std::to_string(count) + " documents" + (changes.settings ? " and settings" : "");
  if (without_password > 0)
    message += "; " + std::to_string(without_password) +
               " user(s) have no password yet: an admin sets one with PUT /api/users/{id} {newPassword} "
               "(while no admin can sign in, first-admin setup is open again)";
  return message;
}

namespace {
Result<std::unique_ptr<store::Store>> open_home_store() {
  auto paths = config::resolve_paths();
  if (!paths) return std::unexpected(paths.error());
  const char* database_url = std::getenv("ROUTERLY_DATABASE_URL");  // as serve chooses
  return store::open_store(database_url != nullptr ? database_url : "", paths->database);
}
}  // namespace

int run_config_export(const std::string& output_path) {
  crypto::initialize();
  auto store = open_home_store();
  if (!store) {
    std::cerr << "routerly: " << store.error().message << "\n";
    return 1;
  }
  auto docs = (*store)->load_config();
  if (!docs) {
    std::cerr << "routerly: " << docs.error().message << "\n";
    return 1;
  }
  std::string text = json::serialize(export_config(*docs)) + "\n";
  if (output_path.empty() || output_path == "-") {
    std::cout << text;
    return 0;
  }
  std::ofstream out(output_path, std::ios::binary | std::ios::trunc);
  if (!(out << text)) {
    std::cerr << "routerly: cannot write " << output_path << "\n";
    return 1;
  }
  std::cerr << "configuration written to " << output_path << "\n";
  return 0;
}

int run_config_import(const std::string& input_path) {
  crypto::initialize();
  std::stringstream buffer;
  if (input_path == "-") {
    buffer << std::cin.rdbuf();
  } else {
    std::ifstream in(input_path, std::ios::binary);
    if (!in) {
      std::cerr << "routerly: cannot read " << input_path << "\n";
      return 1;
    }
    buffer << in.rdbuf();
  }
  boost::system::error_code ec;
  json::value document = json::parse(buffer.str(), ec);
  if (ec) {
    std::cerr << "routerly: " << input_path << " is not valid JSON: " << ec.message() << "\n";
    return 1;
  }
  auto store = open_home_store();
  if (!store) {
    std::cerr << "routerly: " << store.error().message << "\n";
    return 1;
  }
  auto result = import_config(**store, document);
  if (!result) {
    std::cerr << "routerly: " << result.error().message << "\n";
    return 1;
  }
  std::cout << *result << " (restart a running server to pick them up)\n";
  return 0;
}

}  // namespace routerly::app
