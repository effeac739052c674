// Database::open with a postgresql:// URI: a pool shared by threads, a description without
// secrets, a database of another program refused, an unreachable server reported.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/database.h"
#include "support/pg_cluster.h"

namespace candor::store {
namespace {

#define CANDOR_PG_OR_SKIP(uri, name)                        \
  const std::string uri = testing::fresh_pg_database(name); \
  if ((uri).empty()) GTEST_SKIP() << "no PostgreSQL cluster"

TEST(PgDatabase, PoolServesThreadsConcurrently) {
  CANDOR_PG_OR_SKIP(uri, "pool");
  auto db = Database::open({.location = uri, .max_connections = 4}).value();
  EXPECT_EQ(db->backend(), Backend::postgresql);
  {
    auto lease = db->acquire().value();
    ASSERT_TRUE(
        lease->execute_script("CREATE TABLE hits (id BIGSERIAL PRIMARY KEY, n BIGINT)").ok());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto done = db->transact<void>(TransactionMode::write, [&](Connection& c) -> Result<void> {
          CANDOR_TRY(c.execute("INSERT INTO hits (n) VALUES ($1)", {std::int64_t{t}}));
          return {};
        });
        if (!done.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto lease = db->acquire().value();
  EXPECT_EQ(lease->query("SELECT COUNT(*) FROM hits").value()[0].get<std::int64_t>(0).value(), 200);
}

TEST(PgDatabase, DescribesWithoutThePassword) {
  CANDOR_PG_OR_SKIP(uri, "described");
  // Trust authentication ignores the password; it must still not show.
  std::string with_password = uri;
  with_password.replace(with_password.find("candor@"), 7, "candor:s3cret@");
  auto db = Database::open({.location = with_password}).value();
  EXPECT_EQ(db->describe().find("s3cret"), std::string::npos) << db->describe();
  EXPECT_NE(db->describe().find("/described"), std::string::npos) << db->describe();
  // Host and port as a URI writes them (not inet's "127.0.0.1/32").
  EXPECT_TRUE(db->describe().starts_with("postgresql://127.0.0.1:")) << db->describe();
}

TEST(PgDatabase, RefusesADatabaseOfAnotherProgram) {
  CANDOR_PG_OR_SKIP(uri, "someone_else");
  {
    auto db = Database::open({.location = uri}).value();
    auto lease = db->acquire().value();
    ASSERT_TRUE(lease->execute_script("CREATE TABLE invoices (id BIGINT)").ok());
  }
  auto again = Database::open({.location = uri});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind(), ErrorKind::failed_precondition);
}

// PostgreSQL restarted under a running server: a request while it is down fails as
// unavailable, and once it is back requests work again with the same pool, without
// restarting anything.
TEST(PgDatabase, CarriesOnAfterTheServerRestarts) {
  std::string why;
  auto cluster = testing::PgCluster::start(why);  // Its own: this test stops the server.
  if (cluster == nullptr) GTEST_SKIP() << "no PostgreSQL cluster: " << why;
  auto db =
      Database::open({.location = cluster->create_database("restarted"), .max_connections = 4})
          .value();
  {
    // Four connections opened and returned to the pool.
    std::vector<Lease> leases;
    for (int i = 0; i < 4; ++i) leases.push_back(db->acquire().value());
    ASSERT_TRUE(leases[0]->execute_script("CREATE TABLE t (x BIGINT)").ok());
  }
  ASSERT_TRUE(cluster->stop(/*immediate=*/false));
  {
    auto down = db->acquire();
    if (down.ok()) {
      auto failed = (*down)->execute("INSERT INTO t VALUES (1)");
      ASSERT_FALSE(failed.ok());
      EXPECT_EQ(failed.error().kind(), ErrorKind::unavailable) << failed.error().to_string();
    }
  }
  ASSERT_TRUE(cluster->restart());
  int failures = 0;
  for (int i = 0; i < 6; ++i) {
    auto done = db->transact<void>(TransactionMode::write, [&](Connection& c) -> Result<void> {
      CANDOR_TRY(c.execute("INSERT INTO t VALUES ($1)", {std::int64_t{i}}));
      return {};
    });
    if (!done.ok()) ++failures;
  }
  EXPECT_LE(failures, 1);
  auto lease = db->acquire().value();
  EXPECT_EQ(lease->query("SELECT COUNT(*) FROM t").value()[0].get<std::int64_t>(0).value(),
            6 - failures);
}

TEST(PgDatabase, AnUnreachableServerIsUnavailable) {
  // A port nothing listens on (the cluster's own port plus one is not guaranteed free, so
  // use a port of the discard range that a test machine does not serve).
  auto db = Database::open({.location = "postgresql://candor@127.0.0.1:9/nothing"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind(), ErrorKind::unavailable);
}

}  // namespace
}  // namespace candor::store
