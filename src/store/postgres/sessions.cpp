// Login sessions and their rotating refresh tokens (stored hashed by the caller).
#include "store/postgres/postgres_store.hpp"

namespace routerly::store::postgres {

namespace {

constexpr std::string_view kSessionColumns = "s.id, s.user_id, s.created_ms, s.last_used_ms, s.revoked";

Session read_session(const Rows& rows, int first) {
  return Session{std::string(rows.text(0, first)), std::string(rows.text(0, first + 1)),
                 rows.integer(0, first + 2), rows.integer(0, first + 3), rows.boolean(0, first + 4)};
}

Result<void> insert_refresh(Connection& conn, std::string_view session_id, std::string_view hash,
                            int64_t now_ms) {
  Params p;
  p.add(hash).add(session_id).add(now_ms);
  return conn.command(
      "INSERT INTO refresh_tokens (hash, session_id, superseded, created_ms) VALUES ($1, $2, FALSE, $3)", p);
}

}  // namespace

Result<void> PostgresStore::create_session(const Session& session, std::string_view refresh_hash) {
  return pool_->run([&](Connection& conn) -> Result<void> {
    auto tx = Transaction::begin(conn);
    if (!tx) return std::unexpected(tx.error());
    Params p;
    p.add(session.id)
        .add(session.user_id)
        .add(session.created_ms)
        .add(session.last_used_ms)
        .add_bool(session.revoked);
    if (auto ok = conn.command("INSERT INTO sessions (id, user_id, created_ms, last_used_ms, revoked) VALUES "
                               "($1, $2, $3, $4, $5)",
                               p);
        !ok)
      return ok;
    if (auto ok = insert_refresh(conn, session.id, refresh_hash, session.created_ms); !ok) return ok;
    return tx->commit();
  });
}

Result<std::optional<Session>> PostgresStore::get_session(std::string_view session_id) {
  Params p;
  p.add(session_id);
  return pool_->run([&](Connection& conn) -> Result<std::optional<Session>> {
    auto rows =
        conn.prepared("SELECT " + std::string(kSessionColumns) + " FROM sessions s WHERE s.id = $1", p);
    if (!rows) return std::unexpected(rows.error());
    if (rows->size() == 0) return std::optional<Session>{};
    return read_session(*rows, 0);
  });
}

Result<std::optional<RefreshLookup>> PostgresStore::find_refresh(std::string_view refresh_hash) {
  Params p;
  p.add(refresh_hash);
  return pool_->run([&](Connection& conn) -> Result<std::optional<RefreshLookup>> {
    auto rows =
        conn.prepared("SELECT r.superseded, " + std::string(kSessionColumns) +
                          " FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.hash = $1",
                      p);
    if (!rows) return std::unexpected(rows.error());
    if (rows->size() == 0) return std::optional<RefreshLookup>{};
    return RefreshLookup{read_session(*rows, 1), rows->boolean(0, 0)};
  });
}

Result<bool> PostgresStore::rotate_refresh(std::string_view session_id, std::string_view old_hash,
                                           std::string_view new_hash, int64_t now_ms) {
  return pool_->run([&](Connection& conn) -> Result<bool> {
    auto tx = Transaction::begin(conn);
    if (!tx) return std::unexpected(tx.error());
    // The conditional update is the compare-and-swap: a concurrent rotation of the same token
    // waits for this row lock, then finds it superseded, so exactly one wins.
    Params supersede;
    supersede.add(old_hash).add(session_id);
    auto changed = conn.prepared(
        "UPDATE refresh_tokens SET superseded = TRUE"
        " WHERE hash = $1 AND session_id = $2 AND NOT superseded"
        " AND EXISTS (SELECT 1 FROM sessions WHERE id = $2 AND NOT revoked)",
        supersede);
    if (!changed) return std::unexpected(changed.error());
    if (changed->affected() != 1) return false;  // tx rolls back (nothing changed anyway)
    if (auto ok = insert_refresh(conn, session_id, new_hash, now_ms); !ok) return std::unexpected(ok.error());
    Params touch;
    touch.add(now_ms).add(session_id);
    if (auto ok = conn.command("UPDATE sessions SET last_used_ms = $1 WHERE id = $2", touch); !ok)
      return std::unexpected(ok.error());
    if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
    return true;
  });
}

Result<void> PostgresStore::revoke_session(std::string_view session_id) {
  Params p;
  p.add(session_id);
  return pool_->run(
      [&](Connection& conn) { return conn.command("UPDATE sessions SET revoked = TRUE WHERE id = $1", p); });
}

Result<void> PostgresStore::revoke_user_sessions(std::string_view user_id, std::string_view keep_session_id) {
  Params p;
  p.add(user_id).add(keep_session_id);
  return pool_->run([&](Connection& conn) {
    return conn.command("UPDATE sessions SET revoked = TRUE WHERE user_id = $1 AND id <> $2", p);
  });
}

}  // namespace routerly::store::postgres
