#pragma once
// Numbered schema migrations of the PostgreSQL store, recorded in schema_migrations(version,
// applied_at) like the SQLite store's. To change the schema append a new entry to the list in
// migrations.cpp; never edit one that has shipped.
#include <span>
#include <string_view>

#include "common/error.hpp"
#include "store/postgres/connection.hpp"

namespace routerly::store::postgres {

struct Migration {
  int version;
  std::string_view sql;
};

// All migrations this binary knows, in ascending version order.
std::span<const Migration> migrations();

// Applies every pending migration in one transaction that holds a database-wide advisory lock,
// so instances starting together against an empty database migrate it exactly once. A schema
// newer than this binary is an error.
Result<void> migrate(Connection& conn);

}  // namespace routerly::store::postgres
