#pragma once
// Numbered schema migrations. Each runs once, in its own transaction, and is recorded in
// schema_migrations(version, applied_at). To change the schema append a new entry to the
// list in migrations.cpp; never edit one that has shipped.
#include <sqlite3.h>

#include <span>
#include <string_view>

#include "common/error.hpp"

namespace routerly::store::sqlite {

struct Migration {
  int version;
  std::string_view sql;
};

// All migrations this binary knows, in ascending version order (1, 2, 3, ...).
std::span<const Migration> migrations();

// Applies every pending migration. A database newer than this binary is an error.
Result<void> migrate(sqlite3* db);

}  // namespace routerly::store::sqlite
