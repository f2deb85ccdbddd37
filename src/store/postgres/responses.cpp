// Stored Responses API objects, scoped to the project that created them and kept until they
// expire. Expired rows are invisible at once and deleted opportunistically by writes, at most
// once per purge interval per store.
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/stored_documents.hpp"

namespace routerly::store::postgres {

namespace {
constexpr int64_t kPurgeIntervalMs = 10 * 60 * 1000;
}

Result<void> PostgresStore::put_response(std::string_view id, std::string_view project_id,
                                         const boost::json::object& doc, int64_t expires_ms) {
  const int64_t now = clock::now_ms();
  int64_t last = last_response_purge_ms_.load();
  const bool purge =
      now - last >= kPurgeIntervalMs && last_response_purge_ms_.compare_exchange_strong(last, now);
  Params p;
  p.add(id).add(project_id).add(boost::json::serialize(doc)).add(expires_ms);
  return pool_->run([&](Connection& conn) -> Result<void> {
    if (purge) {
      Params cut;
      cut.add(now);
      if (auto ok = conn.command("DELETE FROM responses WHERE expires_ms <= $1", cut); !ok) return ok;
    }
    return conn.command(
        "INSERT INTO responses (id, project_id, doc, expires_ms) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (id) DO UPDATE SET project_id = EXCLUDED.project_id, doc = EXCLUDED.doc,"
        " expires_ms = EXCLUDED.expires_ms",
        p);
  });
}

Result<std::optional<boost::json::object>> PostgresStore::get_response(std::string_view id,
                                                                       std::string_view project_id,
                                                                       int64_t now_ms) {
  Params p;
  p.add(id).add(project_id).add(now_ms);
  return pool_->run([&](Connection& conn) -> Result<std::optional<boost::json::object>> {
    auto rows = conn.prepared(
        "SELECT doc FROM responses WHERE id = $1 AND project_id = $2 AND expires_ms > $3 AND doc <> ''", p);
    if (!rows) return std::unexpected(rows.error());
    if (rows->size() == 0) return std::optional<boost::json::object>{};
    auto doc = parse_stored_object(rows->text(0, 0), "response");
    if (!doc) return std::unexpected(doc.error());
    return std::optional(std::move(*doc));
  });
}

Result<std::optional<StoredResponse>> PostgresStore::find_response(std::string_view id, int64_t now_ms) {
  Params p;
  p.add(id).add(now_ms);
  return pool_->run([&](Connection& conn) -> Result<std::optional<StoredResponse>> {
    auto rows = conn.prepared("SELECT project_id, doc FROM responses WHERE id = $1 AND expires_ms > $2", p);
    if (!rows) return std::unexpected(rows.error());
    if (rows->size() == 0) return std::optional<StoredResponse>{};
    StoredResponse found{std::string(rows->text(0, 0)), std::nullopt};
    if (std::string_view text = rows->text(0, 1); !text.empty()) {
      auto doc = parse_stored_object(text, "response");
      if (!doc) return std::unexpected(doc.error());
      found.doc = std::move(*doc);
    }
    return std::optional(std::move(found));
  });
}

// The row stays with an empty document (the tombstone) until it expires.
Result<bool> PostgresStore::delete_response(std::string_view id, std::string_view project_id,
                                            int64_t now_ms) {
  Params p;
  p.add(id).add(project_id).add(now_ms);
  return pool_->run([&](Connection& conn) -> Result<bool> {
    auto rows = conn.prepared(
        "UPDATE responses SET doc = '' WHERE id = $1 AND project_id = $2 AND expires_ms > $3 AND doc <> ''",
        p);
    if (!rows) return std::unexpected(rows.error());
    return rows->affected() > 0;
  });
}

}  // namespace routerly::store::postgres
