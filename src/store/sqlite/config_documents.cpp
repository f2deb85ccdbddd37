// Configuration documents and settings: load in insertion order, save all-or-nothing.
#include <boost/json/serialize.hpp>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/stored_documents.hpp"

namespace routerly::store::sqlite {

namespace {

Result<void> apply_change(sqlite3* db, const Change& change) {
  const std::string_view collection = collection_name(change.collection);
  if (auto ok = check_change(change); !ok) return ok;
  if (!change.doc) {
    auto stmt = Statement::prepare(db, "DELETE FROM documents WHERE collection = ?1 AND id = ?2");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(1, collection).bind(2, change.id);
    return stmt->run();
  }
  // A new id goes after every existing one; an existing id keeps its position.
  auto stmt =
      Statement::prepare(db,
                         "INSERT INTO documents (collection, id, position, doc) VALUES (?1, ?2, "
                         "(SELECT COALESCE(MAX(position), 0) + 1 FROM documents WHERE collection = ?1), ?3) "
                         "ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, collection).bind(2, change.id).bind(3, boost::json::serialize(*change.doc));
  return stmt->run();
}

Result<void> replace_settings(sqlite3* db, const boost::json::object& settings) {
  auto stmt = Statement::prepare(db,
                                 "INSERT INTO settings (singleton, doc) VALUES (1, ?1) "
                                 "ON CONFLICT (singleton) DO UPDATE SET doc = excluded.doc");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, boost::json::serialize(settings));
  return stmt->run();
}

}  // namespace

Result<ConfigDocuments> SqliteStore::load_config() {
  std::lock_guard lock(mutex_);
  ConfigDocuments docs;
  auto rows =
      Statement::prepare(db_, "SELECT collection, id, doc FROM documents ORDER BY collection, position");
  if (!rows) return std::unexpected(rows.error());
  for (;;) {
    auto row = rows->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    const std::string collection = rows->text(0);
    auto* list = collection_list(docs, collection);
    if (list == nullptr) continue;
    auto doc = parse_stored_object(rows->text(2), collection + " document " + rows->text(1));
    if (!doc) return std::unexpected(doc.error());
    list->push_back(std::move(*doc));
  }

  auto settings = Statement::prepare(db_, "SELECT doc FROM settings WHERE singleton = 1");
  if (!settings) return std::unexpected(settings.error());
  auto row = settings->step();
  if (!row) return std::unexpected(row.error());
  if (*row) {
    auto doc = parse_stored_object(settings->text(0), "settings");
    if (!doc) return std::unexpected(doc.error());
    docs.settings = std::move(*doc);
  }
  return docs;
}

Result<void> SqliteStore::save_config(const ConfigChanges& changes) {
  std::lock_guard lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  for (const Change& change : changes.changes) {
    if (auto ok = apply_change(db_, change); !ok) return ok;  // tx rolls back
  }
  if (changes.settings) {
    if (auto ok = replace_settings(db_, *changes.settings); !ok) return ok;
  }
  return tx->commit();
}

}  // namespace routerly::store::sqlite
