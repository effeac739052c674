// The database a backend-neutral test runs on. ctest runs the store, licensing, register and
// web suites twice: on SQLite, and with CANDOR_TEST_BACKEND=postgresql on fresh databases in
// one throwaway cluster (support/pg_cluster.h).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "support/temp_dir.h"

namespace candor::testing {

// True when this run is the PostgreSQL one.
bool postgresql_run();

// Where a new, empty database for one test is: the file `name` in `dir` on SQLite; on
// PostgreSQL the URI of a database made for it and dropped when `dir` is removed. Empty with
// `why` set when PostgreSQL was asked for and there is no cluster.
std::string test_database(TempDir& dir, const std::string& name, std::string& why);

}  // namespace candor::testing

// Declares `var` as a new test database's location, or skips the test saying why not.
#define CANDOR_TEST_DATABASE(var, dir, name)                                      \
  std::string var##_why;                                                          \
  const std::string var = ::candor::testing::test_database(dir, name, var##_why); \
  if (var.empty()) GTEST_SKIP() << var##_why

// Assigns a new test database's location to an existing string, or skips.
#define CANDOR_ASSIGN_TEST_DATABASE(var, dir, name)                 \
  do {                                                              \
    std::string candor_why_;                                        \
    var = ::candor::testing::test_database(dir, name, candor_why_); \
    if (var.empty()) GTEST_SKIP() << candor_why_;                   \
  } while (false)
