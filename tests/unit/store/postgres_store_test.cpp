// What only the PostgreSQL store has to show: migrations under an advisory lock, connections
// that die and are replaced, a server that is down or silent answered by an error value in
// bounded time, statements cut off by the statement timeout, and errors that never show the
// URL's password.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "store/postgres/migrations.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/store.hpp"
#include "support/postgres_server.hpp"

namespace {

using namespace routerly;
using Clock = std::chrono::steady_clock;

std::string database_of(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

store::ConfigChanges one_model(const std::string& id) {
  store::ConfigChanges changes;
  changes.changes.push_back({store::Collection::models, id, boost::json::object{{"id", id}}});
  return changes;
}

TEST(PostgresStore, MigrationsAreRecordedOnceAcrossReopens) {
  auto& server = PostgresServer::shared();
  const std::string url = server.create_database();
  for (int i = 0; i < 2; ++i) {
    auto store = store::postgres::open_postgres_store(url);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->save_config(one_model("m" + std::to_string(i))));
  }
  const auto known = store::postgres::migrations().size();
  EXPECT_EQ(server.query(database_of(url), "SELECT COUNT(*) FROM schema_migrations"), std::to_string(known));
  EXPECT_EQ(server.query(database_of(url), "SELECT COUNT(*) FROM documents"), "2");
}

TEST(PostgresStore, RefusesASchemaFromANewerBinary) {
  auto& server = PostgresServer::shared();
  const std::string url = server.create_database();
  ASSERT_TRUE(store::postgres::open_postgres_store(url));
  server.query(database_of(url), "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 1)");
  auto reopened = store::postgres::open_postgres_store(url);
  ASSERT_FALSE(reopened);
  EXPECT_NE(reopened.error().message.find("999"), std::string::npos);
}

TEST(PostgresStore, ConcurrentOpensOfAnEmptyDatabaseAllSucceed) {
  auto& server = PostgresServer::shared();
  const std::string url = server.create_database();
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  std::vector<std::string> errors(6);
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto store = store::open_store(url, "/nonexistent-unused.db");
      if (store) {
        ++opened;
      } else {
        errors[static_cast<std::size_t>(i)] = store.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened.load(), 6) << errors[0] << errors[1] << errors[2];
  EXPECT_EQ(server.query(database_of(url), "SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(store::postgres::migrations().size()));
}

TEST(PostgresStore, ConnectionsKilledByTheServerAreReplacedOnNextUse) {
  auto& server = PostgresServer::shared();
  const std::string url = server.create_database();
  auto store = store::postgres::open_postgres_store(url);
  ASSERT_TRUE(store) << store.error().message;
  // Several calls at once, so that the pool holds several connections.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] { EXPECT_TRUE((*store)->save_config(one_model("m" + std::to_string(i)))); });
  for (auto& t : threads) t.join();
  const std::string killed = server.query(
      "postgres", "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                      database_of(url) + "'");
  EXPECT_GE(std::stoi(killed), 1);
  // Every pooled connection is dead now; each call still succeeds.
  for (int i = 0; i < 6; ++i) {
    auto docs = (*store)->load_config();
    ASSERT_TRUE(docs) << "call " << i << ": " << docs.error().message;
    EXPECT_EQ(docs->models.size(), 4u);
  }
  ASSERT_TRUE((*store)->insert_usage({store::UsageRow{.id = "u1", .timestamp_ms = 1000}}));
  EXPECT_TRUE((*store)->get_usage("u1")->has_value());
}

TEST(PostgresStore, ADownServerIsAnErrorValueAndItsReturnIsNoticed) {
  PostgresServer server;  // its own, to take down
  const std::string database = database_of(server.create_database());
  const std::string url =
      "postgres://postgres:not-the-real-secret@127.0.0.1:" + std::to_string(server.port()) + "/" + database;
  store::postgres::PostgresOptions options;
  options.connect.connect_timeout_s = 2;
  auto store = store::postgres::open_postgres_store(url, options);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->save_config(one_model("m")));

  server.stop();
  const auto started = Clock::now();
  auto down = (*store)->load_config();  // the pooled connection is dead, a new one is refused
  ASSERT_FALSE(down);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
  EXPECT_NE(down.error().message.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos)
      << down.error().message;
  EXPECT_EQ(down.error().message.find("not-the-real-secret"), std::string::npos) << down.error().message;
  EXPECT_FALSE((*store)->insert_usage({store::UsageRow{.id = "u1", .timestamp_ms = 1000}}));

  server.start();
  auto back = (*store)->load_config();
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->models.size(), 1u);
}

TEST(PostgresStore, ASilentServerTimesOutInsteadOfHanging) {
  // Accepts connections (the kernel's backlog does) and never says a word.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string url =
      "postgresql://routerly:s3cret-pw@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/db";
  store::postgres::PostgresOptions options;
  options.connect.connect_timeout_s = 2;
  const auto started = Clock::now();
  auto store = store::postgres::open_postgres_store(url, options);
  const auto took = Clock::now() - started;
  ::close(fd);
  ASSERT_FALSE(store);
  EXPECT_LT(took, std::chrono::seconds(6));
  EXPECT_NE(store.error().message.find("cannot connect to PostgreSQL at 127.0.0.1:"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(store.error().message.find("s3cret-pw"), std::string::npos) << store.error().message;
}

TEST(PostgresStore, AStatementThatWaitsTooLongIsCancelled) {
  auto& server = PostgresServer::shared();
  const std::string url = server.create_database();
  store::postgres::PostgresOptions options;
  options.connect.statement_timeout_ms = 300;
  auto store = store::postgres::open_postgres_store(url, options);
  ASSERT_TRUE(store) << store.error().message;
  // Another session holds the settings table locked.
  PGconn* holder = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK);
  PQclear(PQexec(holder, "BEGIN"));
  PQclear(PQexec(holder, "LOCK TABLE settings IN ACCESS EXCLUSIVE MODE"));
  const auto started = Clock::now();
  auto saved = (*store)->save_config({{}, boost::json::object{{"logLevel", "debug"}}});
  const auto took = Clock::now() - started;
  PQclear(PQexec(holder, "ROLLBACK"));
  PQfinish(holder);
  ASSERT_FALSE(saved);
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_NE(saved.error().message.find("statement timeout"), std::string::npos) << saved.error().message;
  // The store goes on working.
  ASSERT_TRUE((*store)->save_config({{}, boost::json::object{{"logLevel", "info"}}}));
  EXPECT_EQ((*store)->load_config()->settings, (boost::json::object{{"logLevel", "info"}}));
}

}  // namespace
