// Stored Responses API objects (SPEC §00 P14), scoped to the project that created them and
// kept until they expire. Expired rows are invisible at once and deleted opportunistically
// by writes, at most once per purge interval.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace routerly::store::sqlite {

namespace {
constexpr int64_t kPurgeIntervalMs = 10 * 60 * 1000;
}

Result<void> SqliteStore::put_response(std::string_view id, std::string_view project_id,
                                       const boost::json::object& doc, int64_t expires_ms) {
  const int64_t now = clock::now_ms();
  std::lock_guard lock(mutex_);
  if (now - last_response_purge_ms_ >= kPurgeIntervalMs) {
    auto purge = Statement::prepare(db_, "DELETE FROM responses WHERE expires_ms <= ?1");
    if (!purge) return std::unexpected(purge.error());
    purge->bind(1, now);
    if (auto ok = purge->run(); !ok) return ok;
    last_response_purge_ms_ = now;
  }
  auto stmt =
      Statement::prepare(db_,
                         "INSERT INTO responses (id, project_id, doc, expires_ms) VALUES (?1, ?2, ?3, ?4) "
                         "ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, "
                         "doc = excluded.doc, expires_ms = excluded.expires_ms");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, id).bind(2, project_id).bind(3, boost::json::serialize(doc)).bind(4, expires_ms);
  return stmt->run();
}

Result<std::optional<boost::json::object>> SqliteStore::get_response(std::string_view id,
                                                                     std::string_view project_id,
                                                                     int64_t now_ms) {
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = Statement::prepare(
      reader->get(), "SELECT doc FROM responses WHERE id = ?1 AND project_id = ?2 AND expires_ms > ?3 AND doc <> ''");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, id).bind(2, project_id).bind(3, now_ms);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<boost::json::object>{};
  boost::system::error_code ec;
  auto value = boost::json::parse(stmt->text(0), ec);
  if (ec || !value.is_object())
    return fail(ErrorCode::internal_error, "stored response is not a JSON object");
  return std::optional<boost::json::object>(std::move(value.as_object()));
}

Result<std::optional<StoredResponse>> SqliteStore::find_response(std::string_view id, int64_t now_ms) {
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = Statement::prepare(reader->get(), "SELECT project_id, doc FROM responses WHERE id = ?1 AND expires_ms > ?2");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, id).bind(2, now_ms);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<StoredResponse>{};
  StoredResponse found{stmt->text(0), std::nullopt};
  if (std::string_view text = stmt->text_view(1); !text.empty()) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec || !value.is_object()) return fail(ErrorCode::internal_error, "stored response is not a JSON object");
    found.doc = std::move(value.as_object());
  }
  return std::optional(std::move(found));
}

// The row stays with an empty document (the tombstone) until it expires.
Result<bool> SqliteStore::delete_response(std::string_view id, std::string_view project_id, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::prepare(
      db_, "UPDATE responses SET doc = '' WHERE id = ?1 AND project_id = ?2 AND expires_ms > ?3 AND doc <> ''");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, id).bind(2, project_id).bind(3, now_ms);
  if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
  return sqlite3_changes(db_) > 0;
}

}  // namespace routerly::store::sqlite
