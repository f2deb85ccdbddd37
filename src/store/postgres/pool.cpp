#include "store/postgres/pool.hpp"

namespace routerly::store::postgres {

Pool::Pool(std::string url, ConnectOptions options, std::size_t max_connections)
    : url_(std::move(url)), options_(options), max_(std::max<std::size_t>(1, max_connections)) {}

Pool::Lease::Lease(Pool& pool, std::unique_ptr<Connection> conn, bool reused)
    : pool_(&pool), conn_(std::move(conn)), reused_(reused), successes_at_start_(conn_->successes()) {}

Pool::Lease::~Lease() {
  if (conn_) pool_->release(std::move(conn_));
}

Result<Pool::Lease> Pool::acquire() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn), true);
    }
    ++open_;  // reserved: the connection is made outside the lock
  }
  auto conn = Connection::open(url_, options_);
  if (!conn) {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    returned_.notify_one();
    return std::unexpected(conn.error());
  }
  return Lease(*this, std::move(*conn), false);
}

void Pool::release(std::unique_ptr<Connection> conn) {
  // A transaction left open by a failure is rolled back here; a connection that cannot even
  // do that is not reused.
  if (!conn->broken() && conn->in_transaction()) (void)conn->script("ROLLBACK");
  const bool reusable = !conn->broken() && !conn->in_transaction();
  {
    std::lock_guard lock(mutex_);
    if (reusable) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  returned_.notify_one();
  // An unusable connection is closed here, outside the lock.
}

Result<Transaction> Transaction::begin(Connection& conn, const std::string& begin_sql) {
  if (auto ok = conn.script(begin_sql); !ok) return std::unexpected(ok.error());
  return Transaction(conn);
}

Transaction::~Transaction() {
  if (conn_ != nullptr && !conn_->broken()) (void)conn_->script("ROLLBACK");
}

Result<void> Transaction::commit() {
  if (auto ok = conn_->script("COMMIT"); !ok) return ok;
  conn_ = nullptr;
  return {};
}

}  // namespace routerly::store::postgres
