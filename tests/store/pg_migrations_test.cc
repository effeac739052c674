// The migration machinery on PostgreSQL: versions recorded, each migration atomic with its
// record (PostgreSQL's DDL is transactional), and several migrators at once apply each
// migration exactly once.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/pg_cluster.h"

namespace candor::store {
namespace {

const std::vector<Migration> kMigrations = {
    {1, "first", "CREATE TABLE a (id BIGINT PRIMARY KEY)"},
    {2, "second",
     "ALTER TABLE a ADD COLUMN note TEXT NOT NULL DEFAULT ''; INSERT INTO a VALUES (1)"},
};

std::unique_ptr<Database> fresh(const std::string& name) {
  const std::string uri = testing::fresh_pg_database(name);
  return uri.empty() ? nullptr : Database::open({.location = uri}).value();
}

TEST(PgMigrate, AppliesOnceAndRecordsVersions) {
  auto db = fresh("migrate_once");
  if (db == nullptr) GTEST_SKIP() << "no PostgreSQL cluster";
  const candor::testing::FixedClock clock;
  auto first = migrate(*db, std::span(kMigrations).first(1), clock).value();
  EXPECT_EQ(first.from_version, 0);
  EXPECT_EQ(first.to_version, 1);
  auto rest = migrate(*db, kMigrations, clock).value();
  EXPECT_EQ(rest.from_version, 1);
  EXPECT_EQ(rest.to_version, 2);
  EXPECT_EQ(schema_version(*db).value(), 2);
  auto again = migrate(*db, kMigrations, clock).value();
  EXPECT_EQ(again.from_version, again.to_version);
  auto lease = db->acquire().value();
  EXPECT_EQ(lease->query("SELECT COUNT(*) FROM a").value()[0].get<std::int64_t>(0).value(), 1);
  // Newer than this program knows: refused.
  auto older = migrate(*db, std::span(kMigrations).first(1), clock);
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.error().kind(), ErrorKind::failed_precondition);
}

TEST(PgMigrate, AFailedMigrationLeavesTheLastGoodVersion) {
  auto db = fresh("migrate_failed");
  if (db == nullptr) GTEST_SKIP() << "no PostgreSQL cluster";
  const std::vector<Migration> broken = {
      kMigrations[0], {2, "broken", "CREATE TABLE b (id BIGINT); CREATE TABLE a (id BIGINT)"}};
  auto result = migrate(*db, broken, candor::testing::FixedClock{});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().to_string().find("migration 2_broken"), std::string::npos)
      << result.error().to_string();
  EXPECT_EQ(schema_version(*db).value(), 1);
  auto lease = db->acquire().value();
  EXPECT_EQ(lease->query("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'b'")
                .value()[0]
                .get<std::int64_t>(0)
                .value(),
            0);
}

TEST(PgMigrate, SeveralMigratorsAtOnceApplyEachMigrationOnce) {
  auto db = fresh("migrate_race");
  if (db == nullptr) GTEST_SKIP() << "no PostgreSQL cluster";
  std::vector<std::thread> migrators;
  std::vector<int> failed(4, 0);
  migrators.reserve(4);
  for (int i = 0; i < 4; ++i) {
    migrators.emplace_back([&, i] {
      failed[static_cast<std::size_t>(i)] =
          migrate(*db, kMigrations, candor::testing::FixedClock{}).ok() ? 0 : 1;
    });
  }
  for (auto& m : migrators) m.join();
  EXPECT_EQ(failed, (std::vector<int>{0, 0, 0, 0}));
  auto lease = db->acquire().value();
  EXPECT_EQ(lease->query("SELECT COUNT(*) FROM a").value()[0].get<std::int64_t>(0).value(), 1);
  EXPECT_EQ(
      lease->query("SELECT COUNT(*) FROM schema_version").value()[0].get<std::int64_t>(0).value(),
      2);
}

}  // namespace
}  // namespace candor::store
