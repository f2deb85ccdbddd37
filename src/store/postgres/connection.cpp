#include "store/postgres/connection.hpp"

#include <charconv>
#include <cstring>

namespace routerly::store::postgres {

namespace {

std::string trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "unknown error" : text;
}

// Values given as parameters to PQconnectdbParams. Ours come before the URL's ("dbname",
// expanded), so that a setting written in the URL wins.
struct Keywords {
  std::vector<std::string> keys, values;
  void add(std::string key, std::string value) {
    keys.push_back(std::move(key));
    values.push_back(std::move(value));
  }
};

}  // namespace

Params& Params::add(std::string_view text) {
  values_.emplace_back(text);
  null_.push_back(false);
  return *this;
}

Params& Params::add(int64_t number) {
  values_.push_back(std::to_string(number));
  null_.push_back(false);
  return *this;
}

// The shortest text that reads back as the same double: stored values round-trip exactly.
Params& Params::add_real(double number) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
  values_.emplace_back(buffer, ec == std::errc() ? end : buffer);
  null_.push_back(false);
  return *this;
}

Params& Params::add_bool(bool value) {
  values_.emplace_back(value ? "true" : "false");
  null_.push_back(false);
  return *this;
}

Params& Params::add_null() {
  values_.emplace_back();
  null_.push_back(true);
  return *this;
}

std::string placeholder_rows(std::size_t rows, std::size_t columns) {
  std::string sql;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < columns; ++c)
      sql += (c == 0 ? "$" : ", $") + std::to_string(r * columns + c + 1);
    sql += ")";
  }
  return sql;
}

int64_t Rows::affected() const {
  const char* count = PQcmdTuples(result_.get());
  int64_t n = 0;
  std::from_chars(count, count + std::strlen(count), n);
  return n;
}

std::string_view Rows::text(int row, int column) const {
  return std::string_view(PQgetvalue(result_.get(), row, column),
                          static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

int64_t Rows::integer(int row, int column) const {
  const std::string_view t = text(row, column);
  if (t == "t" || t == "f") return t == "t" ? 1 : 0;
  int64_t n = 0;
  std::from_chars(t.data(), t.data() + t.size(), n);
  return n;
}

double Rows::real(int row, int column) const {
  const std::string_view t = text(row, column);
  double d = 0;
  std::from_chars(t.data(), t.data() + t.size(), d);
  return d;
}

bool Rows::boolean(int row, int column) const {
  const std::string_view t = text(row, column);
  return !t.empty() && t[0] == 't';
}

std::string describe_target(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (options == nullptr) {
    PQfreemem(err);
    return "an unparsable database URL";
  }
  std::string host = "localhost", port = "5432", dbname, user;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    const std::string_view key = o->keyword;
    if (key == "host" || key == "hostaddr") host = o->val;
    if (key == "port") port = o->val;
    if (key == "dbname") dbname = o->val;
    if (key == "user") user = o->val;
  }
  PQconninfoFree(options);
  std::string out = host + ":" + port + "/" + (dbname.empty() ? user : dbname);
  if (!user.empty()) out += " as " + user;
  return out;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url, const ConnectOptions& options) {
  Keywords kw;
  kw.add("connect_timeout", std::to_string(options.connect_timeout_s));
  kw.add("application_name", "routerly");
  // A server that vanishes from the network is noticed within about half a minute.
  kw.add("keepalives", "1");
  kw.add("keepalives_idle", "10");
  kw.add("keepalives_interval", "5");
  kw.add("keepalives_count", "3");
  kw.add("dbname", url);
  std::vector<const char*> keys, values;
  for (std::size_t i = 0; i < kw.keys.size(); ++i) {
    keys.push_back(kw.keys[i].c_str());
    values.push_back(kw.values[i].c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* raw = PQconnectdbParams(keys.data(), values.data(), 1);
  if (raw == nullptr) return fail(ErrorCode::internal_error, "cannot connect to PostgreSQL: out of memory");
  std::unique_ptr<Connection> conn(new Connection(raw));
  // The server's notices (such as "already exists, skipping") are not errors: not printed.
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);
  if (PQstatus(raw) != CONNECTION_OK) {
    return fail(ErrorCode::internal_error, "cannot connect to PostgreSQL at " + describe_target(url) + ": " +
                                               trimmed(PQerrorMessage(raw)));
  }
  // A statement that runs longer is cancelled by the server: no call waits forever on it.
  Params timeout;
  timeout.add(std::to_string(options.statement_timeout_ms));
  if (auto set = conn->exec("SELECT set_config('statement_timeout', $1, false)", timeout); !set)
    return std::unexpected(set.error());
  return conn;
}

Connection::~Connection() {
  PQfinish(conn_);
}

Error Connection::error(std::string_view what, const PGresult* result) const {
  std::string message = "PostgreSQL error while ";
  message += what;
  message += ": ";
  const char* text = result != nullptr ? PQresultErrorMessage(result) : nullptr;
  message += trimmed(text != nullptr && *text != '\0' ? text : PQerrorMessage(conn_));
  return Error{ErrorCode::internal_error, std::move(message)};
}

Result<Rows> Connection::finish(PGresult* result, std::string_view what) {
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error e = error(what, result);
    PQclear(result);
    return std::unexpected(std::move(e));
  }
  ++successes_;
  return Rows(result);
}

namespace {
struct Bound {
  std::vector<const char*> values;
  explicit Bound(const std::vector<std::string>& v, const std::vector<bool>& null) {
    for (std::size_t i = 0; i < v.size(); ++i) values.push_back(null[i] ? nullptr : v[i].c_str());
  }
};
}  // namespace

Result<Rows> Connection::prepared(const std::string& sql, const Params& params) {
  auto it = statement_names_.find(sql);
  if (it == statement_names_.end()) {
    std::string name = "routerly_" + std::to_string(statement_names_.size() + 1);
    PGresult* prepared =
        PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr);
    if (auto ok = finish(prepared, "preparing a statement"); !ok) return std::unexpected(ok.error());
    it = statement_names_.emplace(sql, std::move(name)).first;
  }
  Bound bound(params.values_, params.null_);
  return finish(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                               bound.values.data(), nullptr, nullptr, 0),
                "running a statement");
}

Result<void> Connection::command(const std::string& sql, const Params& params) {
  auto done = prepared(sql, params);
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<void> Connection::command_rows(const std::string& sql, const Params& params, std::size_t rows,
                                      std::size_t full_chunk) {
  constexpr std::size_t kSmallBatch = 4;
  if (rows == full_chunk || rows <= kSmallBatch) return command(sql, params);
  auto done = exec(sql, params);
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<Rows> Connection::exec(const std::string& sql, const Params& params) {
  Bound bound(params.values_, params.null_);
  return finish(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             bound.values.data(), nullptr, nullptr, 0),
                "running a statement");
}

Result<void> Connection::script(const std::string& sql) {
  auto done = finish(PQexec(conn_, sql.c_str()), "running a script");
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<void> Connection::send_single_row(const std::string& sql, const Params& params) {
  Bound bound(params.values_, params.null_);
  if (PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, bound.values.data(),
                        nullptr, nullptr, 0) == 0)
    return std::unexpected(error("sending a query", nullptr));
  if (PQsetSingleRowMode(conn_) == 0) {
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    return fail(ErrorCode::internal_error, "PostgreSQL error: cannot read rows one by one");
  }
  return {};
}

}  // namespace routerly::store::postgres
