#include "store/postgres/postgres_store.hpp"
#include "store/store.hpp"

namespace routerly::store {

Result<std::unique_ptr<Store>> open_store(std::string_view database_url,
                                          const std::filesystem::path& sqlite_path) {
  if (database_url.empty()) return open_sqlite(sqlite_path);
  if (!database_url.starts_with("postgres://") && !database_url.starts_with("postgresql://"))
    return fail(ErrorCode::internal_error, "the database URL must start with postgres:// or postgresql://");
  auto store = postgres::open_postgres_store(std::string(database_url));
  if (!store) return std::unexpected(store.error());
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace routerly::store
