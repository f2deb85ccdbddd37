#pragma once
// Minimal RAII helpers over the SQLite C API. Every failure becomes an internal_error
// carrying SQLite's own message (which never contains bound values, so no secrets).
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::store::sqlite {

// Error from the connection's last failure, prefixed with what was being done.
Error db_error(sqlite3* db, std::string_view what);

// Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
Result<void> exec(sqlite3* db, std::string_view sql);

class Statement {
 public:
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);

  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t number);
  Statement& bind_null(int index);
  // Named apart from bind() so that an int argument is never ambiguous.
  Statement& bind_real(int index, double number);
  Statement& bind_blob(int index, std::string_view bytes);  // copied, like text
  // Makes the statement runnable again with fresh bindings (prepared once, run many times).
  void reset();

  // Advances: true when a row is available, false when done.
  Result<bool> step();
  // Runs a statement that returns no rows to completion.
  Result<void> run();

  std::string text(int column) const;  // 0-based, as in SQLite
  // Valid until the next step(), reset() or read of the same column: for hot loops.
  std::string_view text_view(int column) const;
  int64_t integer(int column) const;
  double real(int column) const;
  // Valid like text_view(); empty for NULL.
  std::string_view blob(int column) const;
  bool is_null(int column) const;

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE on construction (through begin()); rolls back on destruction unless
// commit() succeeded, so an early `return` on error undoes everything.
class Transaction {
 public:
  static Result<Transaction> begin(sqlite3* db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace routerly::store::sqlite
