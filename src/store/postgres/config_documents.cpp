// Configuration documents and settings: load in insertion order, save all-or-nothing.
#include <boost/json/serialize.hpp>

#include "store/postgres/postgres_store.hpp"
#include "store/stored_documents.hpp"

namespace routerly::store::postgres {

namespace {

Result<void> apply_change(Connection& conn, const Change& change) {
  if (auto ok = check_change(change); !ok) return ok;
  Params p;
  p.add(collection_name(change.collection)).add(change.id);
  if (!change.doc) return conn.command("DELETE FROM documents WHERE collection = $1 AND id = $2", p);
  // A new id takes the next position (after every existing one); an existing id keeps its own.
  p.add(boost::json::serialize(*change.doc));
  return conn.command(
      "INSERT INTO documents (collection, id, doc) VALUES ($1, $2, $3)"
      " ON CONFLICT (collection, id) DO UPDATE SET doc = EXCLUDED.doc",
      p);
}

}  // namespace

Result<ConfigDocuments> PostgresStore::load_config() {
  return pool_->run([&](Connection& conn) -> Result<ConfigDocuments> {
    // One snapshot for the documents and the settings.
    auto tx = Transaction::begin(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!tx) return std::unexpected(tx.error());
    ConfigDocuments docs;
    auto rows = conn.prepared("SELECT collection, id, doc FROM documents ORDER BY collection, position");
    if (!rows) return std::unexpected(rows.error());
    for (int i = 0; i < rows->size(); ++i) {
      const std::string collection(rows->text(i, 0));
      auto* list = collection_list(docs, collection);
      if (list == nullptr) continue;
      auto doc =
          parse_stored_object(rows->text(i, 2), collection + " document " + std::string(rows->text(i, 1)));
      if (!doc) return std::unexpected(doc.error());
      list->push_back(std::move(*doc));
    }
    auto settings = conn.prepared("SELECT doc FROM settings WHERE singleton = 1");
    if (!settings) return std::unexpected(settings.error());
    if (settings->size() > 0) {
      auto doc = parse_stored_object(settings->text(0, 0), "settings");
      if (!doc) return std::unexpected(doc.error());
      docs.settings = std::move(*doc);
    }
    if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
    return docs;
  });
}

Result<void> PostgresStore::save_config(const ConfigChanges& changes) {
  return pool_->run([&](Connection& conn) -> Result<void> {
    auto tx = Transaction::begin(conn);
    if (!tx) return std::unexpected(tx.error());
    for (const Change& change : changes.changes) {
      if (auto ok = apply_change(conn, change); !ok) return ok;  // tx rolls back
    }
    if (changes.settings) {
      Params p;
      p.add(boost::json::serialize(*changes.settings));
      if (auto ok = conn.command("INSERT INTO settings (singleton, doc) VALUES (1, $1)"
                                 " ON CONFLICT (singleton) DO UPDATE SET doc = EXCLUDED.doc",
                                 p);
          !ok)
        return ok;
    }
    return tx->commit();
  });
}

}  // namespace routerly::store::postgres
