// Login sessions and their rotating refresh tokens (stored hashed by the caller).
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace routerly::store::sqlite {

namespace {

constexpr std::string_view kSessionColumns = "s.id, s.user_id, s.created_ms, s.last_used_ms, s.revoked";

Session read_session(const Statement& row, int first) {
  return Session{row.text(first), row.text(first + 1), row.integer(first + 2), row.integer(first + 3),
                 row.integer(first + 4) != 0};
}

Result<void> insert_refresh(sqlite3* db, std::string_view session_id, std::string_view hash, int64_t now_ms) {
  auto stmt = Statement::prepare(
      db, "INSERT INTO refresh_tokens (hash, session_id, superseded, created_ms) VALUES (?1, ?2, 0, ?3)");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, hash).bind(2, session_id).bind(3, now_ms);
  return stmt->run();
}

}  // namespace

Result<void> SqliteStore::create_session(const Session& session, std::string_view refresh_hash) {
  std::lock_guard lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  auto stmt = Statement::prepare(db_,
                                 "INSERT INTO sessions (id, user_id, created_ms, last_used_ms, revoked) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, session.id)
      .bind(2, session.user_id)
      .bind(3, session.created_ms)
      .bind(4, session.last_used_ms)
      .bind(5, int64_t{session.revoked ? 1 : 0});
  if (auto ok = stmt->run(); !ok) return ok;
  if (auto ok = insert_refresh(db_, session.id, refresh_hash, session.created_ms); !ok) return ok;
  return tx->commit();
}

Result<std::optional<Session>> SqliteStore::get_session(std::string_view session_id) {
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  auto stmt =
      Statement::prepare(reader->get(), "SELECT " + std::string(kSessionColumns) + " FROM sessions s WHERE s.id = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, session_id);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Session>{};
  return read_session(*stmt, 0);
}

Result<std::optional<RefreshLookup>> SqliteStore::find_refresh(std::string_view refresh_hash) {
  auto reader = readers_.acquire();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = Statement::prepare(reader->get(), "SELECT r.superseded, " + std::string(kSessionColumns) +
                                          " FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id"
                                          " WHERE r.hash = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, refresh_hash);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<RefreshLookup>{};
  return RefreshLookup{read_session(*stmt, 1), stmt->integer(0) != 0};
}

Result<bool> SqliteStore::rotate_refresh(std::string_view session_id, std::string_view old_hash,
                                         std::string_view new_hash, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto tx = Transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  // The conditional update is the compare-and-swap: only the current token of a live
  // session can be superseded, so of two concurrent rotations exactly one wins.
  auto supersede = Statement::prepare(db_,
                                      "UPDATE refresh_tokens SET superseded = 1"
                                      " WHERE hash = ?1 AND session_id = ?2 AND superseded = 0"
                                      " AND EXISTS (SELECT 1 FROM sessions WHERE id = ?2 AND revoked = 0)");
  if (!supersede) return std::unexpected(supersede.error());
  supersede->bind(1, old_hash).bind(2, session_id);
  if (auto ok = supersede->run(); !ok) return std::unexpected(ok.error());
  if (sqlite3_changes(db_) != 1) return false;  // tx rolls back (nothing changed anyway)

  if (auto ok = insert_refresh(db_, session_id, new_hash, now_ms); !ok) return std::unexpected(ok.error());
  auto touch = Statement::prepare(db_, "UPDATE sessions SET last_used_ms = ?1 WHERE id = ?2");
  if (!touch) return std::unexpected(touch.error());
  touch->bind(1, now_ms).bind(2, session_id);
  if (auto ok = touch->run(); !ok) return std::unexpected(ok.error());
  if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
  return true;
}

Result<void> SqliteStore::revoke_session(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::prepare(db_, "UPDATE sessions SET revoked = 1 WHERE id = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, session_id);
  return stmt->run();
}

Result<void> SqliteStore::revoke_user_sessions(std::string_view user_id, std::string_view keep_session_id) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::prepare(db_, "UPDATE sessions SET revoked = 1 WHERE user_id = ?1 AND id <> ?2");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, user_id).bind(2, keep_session_id);
  return stmt->run();
}

}  // namespace routerly::store::sqlite
