// The throwaway PostgreSQL cluster the PostgreSQL tests run against: it starts on its own,
// serves a database of its own per test, and survives an immediate stop (a crash) and restart.
#include "support/pg_cluster.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

namespace candor::testing {
namespace {

TEST(PgCluster, StartsServesDatabasesAndRestartsAfterACrash) {
  // A cluster of its own: this test stops the server, which the other tests share.
  std::string why;
  auto cluster = PgCluster::start(why);
  if (cluster == nullptr) GTEST_SKIP() << "no PostgreSQL cluster: " << why;
  const std::string uri = cluster->create_database("harness");
  {
    pqxx::connection c(uri);
    pqxx::work w(c);
    w.exec("CREATE TABLE t (id BIGINT PRIMARY KEY)");
    w.exec("INSERT INTO t VALUES (42)");
    w.commit();
  }
  ASSERT_TRUE(cluster->stop(/*immediate=*/true));
  EXPECT_THROW(pqxx::connection{uri}, pqxx::broken_connection);
  ASSERT_TRUE(cluster->restart());
  pqxx::connection c(uri);
  pqxx::work w(c);
  EXPECT_EQ(w.exec1("SELECT id FROM t")[0].as<long>(), 42);
  // Each test gets a database of its own.
  pqxx::connection other(cluster->create_database("harness_other"));
  pqxx::work o(other);
  EXPECT_EQ(o.exec1("SELECT COUNT(*) FROM pg_tables WHERE tablename = 't'")[0].as<long>(), 0);
}

}  // namespace
}  // namespace candor::testing
