#include "store/postgres/postgres_store.hpp"

#include "common/clock.hpp"
#include "store/postgres/migrations.hpp"

namespace routerly::store::postgres {

Result<std::unique_ptr<PostgresStore>> open_postgres_store(const std::string& url, PostgresOptions options) {
  auto pool = std::make_unique<Pool>(url, options.connect, options.pool_size);
  auto migrated = pool->run([](Connection& conn) { return migrate(conn); });
  if (!migrated) return std::unexpected(migrated.error());
  return std::make_unique<PostgresStore>(std::move(pool));
}

Result<void> PostgresStore::check_writable() {
  Params p;
  p.add(clock::now_ms());
  return pool_->run([&](Connection& conn) {
    return conn.command(
        "INSERT INTO health (singleton, checked_ms) VALUES (1, $1)"
        " ON CONFLICT (singleton) DO UPDATE SET checked_ms = EXCLUDED.checked_ms",
        p);
  });
}

}  // namespace routerly::store::postgres
