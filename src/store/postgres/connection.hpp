#pragma once
// Thin RAII helpers over libpq. Values always travel as bound parameters (text format), never
// inside the SQL. Every failure becomes an internal_error carrying the server's message, which
// never holds bound values; connection errors name the server (host, port, database, user) but
// never the password.
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"

namespace routerly::store::postgres {

// Bound values of one statement, numbered $1, $2, ... in the order they are added.
class Params {
 public:
  Params& add(std::string_view text);
  Params& add(int64_t number);
  Params& add_real(double number);  // named apart so that an int argument is never ambiguous
  Params& add_bool(bool value);
  Params& add_null();
  std::size_t size() const { return values_.size(); }
  // "$N" naming the next value to be added.
  std::string next() const { return "$" + std::to_string(values_.size() + 1); }

 private:
  friend class Connection;
  std::vector<std::string> values_;
  std::vector<bool> null_;
};

// "($1, $2), ($3, $4)": `rows` rows of `columns` placeholders each, for a multi-row VALUES.
std::string placeholder_rows(std::size_t rows, std::size_t columns);

// A query's rows, all in memory (the single-row walk is Connection::for_each_row).
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result, PQclear) {}
  int size() const { return PQntuples(result_.get()); }
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t affected() const;
  // Valid while this object lives.
  std::string_view text(int row, int column) const;
  int64_t integer(int row, int column) const;  // a boolean reads as 1 or 0
  double real(int row, int column) const;
  bool boolean(int row, int column) const;
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

// One row of a Rows, in the shape the shared column readers (usage_columns.hpp) take.
class Row {
 public:
  Row(const Rows& rows, int row) : rows_(&rows), row_(row) {}
  std::string_view text(int column) const { return rows_->text(row_, column); }
  int64_t integer(int column) const { return rows_->integer(row_, column); }
  double real(int column) const { return rows_->real(row_, column); }
  bool is_null(int column) const { return rows_->is_null(row_, column); }

 private:
  const Rows* rows_;
  int row_;
};

struct ConnectOptions {
  int connect_timeout_s = 5;
  int statement_timeout_ms = 30'000;
};

// "host:port/database as user": where a URL points, without its password.
std::string describe_target(const std::string& url);

class Connection {
 public:
  // Connects and sets the session's statement timeout.
  static Result<std::unique_ptr<Connection>> open(const std::string& url, const ConnectOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement, prepared on this connection the first time its text is run and reused
  // after: for the fixed statements. `sql` must not embed values.
  Result<Rows> prepared(const std::string& sql, const Params& params = {});
  // prepared() for a statement whose rows, if any, are not needed.
  Result<void> command(const std::string& sql, const Params& params = {});
  // A multi-row statement of `rows` rows (placeholder_rows): prepared and kept for the sizes
  // that recur (a full chunk of `full_chunk` rows, small batches), planned for this run only
  // otherwise, so that a connection keeps a bounded number of prepared statements.
  Result<void> command_rows(const std::string& sql, const Params& params, std::size_t rows,
                            std::size_t full_chunk);
  // One statement, planned for this run only: for SQL assembled from the filters.
  Result<Rows> exec(const std::string& sql, const Params& params = {});
  // Several statements without parameters (schema scripts, BEGIN/COMMIT).
  Result<void> script(const std::string& sql);
  // Runs a query row by row (libpq's single-row mode): `visit(rows)` sees a one-row Rows each
  // time, so large results never sit in memory whole.
  template <typename Visit>
  Result<void> for_each_row(const std::string& sql, const Params& params, Visit&& visit);

  // The server connection is gone; the pool drops this connection instead of reusing it.
  bool broken() const { return PQstatus(conn_) == CONNECTION_BAD; }
  bool in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  // How many commands have succeeded here: lets the pool tell whether a failure was the first
  // use of a connection that had died while idle.
  int64_t successes() const { return successes_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Result<Rows> finish(PGresult* result, std::string_view what);
  Result<void> send_single_row(const std::string& sql, const Params& params);
  Error error(std::string_view what, const PGresult* result) const;

  PGconn* conn_;
  std::unordered_map<std::string, std::string> statement_names_;  // SQL text → prepared name
  int64_t successes_ = 0;
};

template <typename Visit>
Result<void> Connection::for_each_row(const std::string& sql, const Params& params, Visit&& visit) {
  if (auto sent = send_single_row(sql, params); !sent) return sent;
  std::optional<Error> failed;
  bool seen_rows = false;
  while (PGresult* result = PQgetResult(conn_)) {
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_SINGLE_TUPLE && !failed) {
      if (!seen_rows) ++successes_;  // rows were handed out: this run must not be repeated
      seen_rows = true;
      visit(Rows(result));
    } else if (status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE) {
      PQclear(result);
    } else {
      if (!failed) failed = error("reading rows", result);
      PQclear(result);
    }
  }
  if (failed) return std::unexpected(*failed);
  ++successes_;
  return {};
}

}  // namespace routerly::store::postgres
