#pragma once
// The store contract tests run unchanged against both backends: a test suite parameterized by
// Backend is instantiated once as Sqlite/... and once as Postgres/... (the PostgreSQL side on
// this binary's test server, a new database per test).
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "store/store.hpp"
#include "support/temp_dir.hpp"

enum class Backend { sqlite, postgres };
// How test names (and ctest's) show the parameter.
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::sqlite ? "sqlite" : "postgres");
}

// An empty database of one backend, for one test: opened (and reopened) as a Store, and read
// or changed behind the store's back with SQL both backends accept.
class BackendDatabase {
 public:
  // For PostgreSQL this starts the test server on first use, and throws (failing the test)
  // when it cannot.
  explicit BackendDatabase(Backend backend);

  routerly::Result<std::unique_ptr<routerly::store::Store>> open() const;
  // The first column of the first row as an integer (-1 when there is no row).
  int64_t query_int(const std::string& sql) const;
  void exec(const std::string& sql) const;

 private:
  Backend backend_;
  TempDir dir_;
  std::string url_;  // PostgreSQL only
};

// A fixture whose SetUp opens a fresh store of the test's backend into store_.
class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  std::unique_ptr<BackendDatabase> db_;
  std::unique_ptr<routerly::store::Store> store_;
};

#define INSTANTIATE_FOR_EACH_BACKEND(suite)                                    \
  INSTANTIATE_TEST_SUITE_P(Sqlite, suite, ::testing::Values(Backend::sqlite)); \
  INSTANTIATE_TEST_SUITE_P(Postgres, suite, ::testing::Values(Backend::postgres))
