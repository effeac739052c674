#include "store/migrations.h"

#include <gtest/gtest.h>

#include "store/database.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::store {
namespace {

class FixedClock final : public Clock {
 public:
  Timestamp now() const override {
    return Timestamp::parse_rfc3339("2026-11-29T12:00:00Z").value();
  }
};

// These tests run on both backends (support/test_database.h).
std::unique_ptr<Database> open_db(const std::string& location) {
  auto db = Database::open({.location = location});
  EXPECT_TRUE(db.ok()) << db.error().to_string();
  return std::move(db).value();
}

const std::vector<Migration>& builtin(const Database& db) {
  return builtin_migrations(db.backend());
}

std::vector<std::string> table_names(Database& db) {
  auto lease = db.acquire().value();
  auto rows = lease
                  ->query(db.backend() == Backend::postgresql
                              ? "SELECT tablename FROM pg_tables WHERE schemaname = "
                                "current_schema() ORDER BY tablename"
                              : "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
                  .value();
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.get<std::string>(0).value());
  return names;
}

// The PostgreSQL run of the suites really is on PostgreSQL.
TEST(TestDatabase, IsOnTheBackendOfThisRun) {
  testing::TempDir dir;
  CANDOR_TEST_DATABASE(location, dir, "candor.db");
  auto db = open_db(location);
  EXPECT_EQ(db->backend(), testing::postgresql_run() ? Backend::postgresql : Backend::sqlite);
}

TEST(BuiltinMigrations, AreNumberedWithoutGaps) {
  const auto& migrations = builtin_migrations();
  ASSERT_GE(migrations.size(), 2U);
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(migrations[i].sql.empty());
  }
  EXPECT_EQ(migrations[0].name, "settings");
}

TEST(Migrate, BringsAnEmptyDatabaseToTheLatestVersion) {
  testing::TempDir dir;
  CANDOR_TEST_DATABASE(location, dir, "candor.db");
  auto db = open_db(location);
  EXPECT_EQ(schema_version(*db).value(), 0);
  const auto& all = builtin(*db);
  auto report = migrate(*db, all, FixedClock{});
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->from_version, 0);
  EXPECT_EQ(report->to_version, all.back().version);
  EXPECT_EQ(schema_version(*db).value(), report->to_version);

  auto lease = db->acquire().value();
  auto rows =
      lease->query("SELECT version, name, applied_at FROM schema_version ORDER BY version").value();
  ASSERT_EQ(rows.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(rows[i].get<std::int64_t>(0).value(), all[i].version);
    EXPECT_EQ(rows[i].get<std::string>(1).value(), all[i].name);
    EXPECT_EQ(rows[i].get<std::string>(2).value(), "2026-11-29T12:00:00Z");
  }
}

// A database made by an older candor (only migration 1) keeps its data and gains the rest.
TEST(Migrate, UpgradesADatabaseCreatedByAnEarlierMigration) {
  if (testing::postgresql_run()) {
    GTEST_SKIP() << "PostgreSQL's migrations begin at a baseline; pg_migrations_test covers them";
  }
  testing::TempDir dir;
  const auto& all = builtin_migrations();
  {
    auto db = open_db(dir.file("old.db"));
    auto report = migrate(*db, std::span(all).first(1), FixedClock{});
    ASSERT_TRUE(report.ok()) << report.error().to_string();
    EXPECT_EQ(report->to_version, 1);
    auto lease = db->acquire().value();
    ASSERT_TRUE(lease
                    ->execute("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)",
                              {std::string("authority"), std::string("Demo Authority"),
                               std::string("2026-01-01T00:00:00Z")})
                    .ok());
    EXPECT_EQ(table_names(*db), (std::vector<std::string>{"schema_version", "settings"}));
  }
  auto db = open_db(dir.file("old.db"));
  auto report = migrate(*db, all, FixedClock{});
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->from_version, 1);
  EXPECT_EQ(report->to_version, static_cast<int>(all.size()));
  auto lease = db->acquire().value();
  auto rows = lease->query("SELECT value FROM settings WHERE key = 'authority'").value();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].get<std::string>(0).value(), "Demo Authority");
  EXPECT_EQ(table_names(*db), (std::vector<std::string>{"advice_requests",
                                                        "audit_events",
                                                        "case_events",
                                                        "case_items",
                                                        "case_parties",
                                                        "cases",
                                                        "checks",
                                                        "consultations",
                                                        "denial_matches",
                                                        "denials",
                                                        "documents",
                                                        "evidence_records",
                                                        "exchange_inbox",
                                                        "exchange_outbox",
                                                        "login_attempts",
                                                        "mirror_entries",
                                                        "mirror_flags",
                                                        "mirror_peers",
                                                        "organisations",
                                                        "register_batches",
                                                        "register_checkpoints",
                                                        "register_entries",
                                                        "register_nodes",
                                                        "register_queue",
                                                        "schema_version",
                                                        "screening_hits",
                                                        "sessions",
                                                        "settings",
                                                        "users"}));
}

TEST(Migrate, IsIdempotent) {
  testing::TempDir dir;
  CANDOR_TEST_DATABASE(location, dir, "candor.db");
  auto db = open_db(location);
  ASSERT_TRUE(migrate(*db, builtin(*db), FixedClock{}).ok());
  auto again = migrate(*db, builtin(*db), FixedClock{});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->from_version, again->to_version);
}

TEST(Migrate, RefusesADatabaseNewerThanItsMigrations) {
  testing::TempDir dir;
  CANDOR_TEST_DATABASE(location, dir, "candor.db");
  auto db = open_db(location);
  std::vector<Migration> newer = builtin(*db);
  newer.push_back({newer.back().version + 1, "from_the_future", "CREATE TABLE later (x INTEGER);"});
  ASSERT_TRUE(migrate(*db, newer, FixedClock{}).ok());
  auto older = migrate(*db, builtin(*db), FixedClock{});
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.error().kind(), ErrorKind::failed_precondition);
}

// A migration that fails half-way leaves the database at the last good version, with none of
// the failed migration's statements applied.
TEST(Migrate, RollsBackAFailedMigration) {
  testing::TempDir dir;
  CANDOR_TEST_DATABASE(location, dir, "candor.db");
  auto db = open_db(location);
  const std::vector<Migration> migrations = {
      {1, "first", "CREATE TABLE a (x INTEGER);"},
      {2, "broken", "CREATE TABLE b (x INTEGER); INSERT INTO no_such_table VALUES (1);"},
  };
  auto report = migrate(*db, migrations, FixedClock{});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().to_string().find("migration 2_broken"), std::string::npos)
      << report.error().to_string();
  EXPECT_EQ(schema_version(*db).value(), 1);
  EXPECT_EQ(table_names(*db), (std::vector<std::string>{"a", "schema_version"}));
}

TEST(MigrationsFromFiles, RefusesBadNamesGapsAndDuplicates) {
  const EmbeddedFile good[] = {{"0002_b.sql", "SELECT 1;"}, {"0001_a.sql", "SELECT 1;"}};
  auto parsed = migrations_from_files(good);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at(0).name, "a");
  EXPECT_EQ(parsed->at(1).version, 2);

  const EmbeddedFile gap[] = {{"0001_a.sql", ""}, {"0003_c.sql", ""}};
  EXPECT_FALSE(migrations_from_files(gap).ok());
  const EmbeddedFile duplicate[] = {{"0001_a.sql", ""}, {"0001_b.sql", ""}};
  EXPECT_FALSE(migrations_from_files(duplicate).ok());
  for (const char* name : {"1_a.sql", "0001a.sql", "0001_.sql", "0001_a.txt", "abcd_a.sql"}) {
    const EmbeddedFile bad[] = {{name, ""}};
    EXPECT_FALSE(migrations_from_files(bad).ok()) << name;
  }
}

// The audit trail refuses UPDATE and DELETE, whatever issues them.
TEST(AuditEvents, AreAppendOnly) {
  testing::TempDir dir;
  CANDOR_TEST_DATABASE(location, dir, "candor.db");
  auto db = open_db(location);
  ASSERT_TRUE(migrate(*db, builtin(*db), FixedClock{}).ok());
  auto lease = db->acquire().value();
  ASSERT_TRUE(lease
                  ->execute("INSERT INTO audit_events (occurred_at, actor, action) "
                            "VALUES ('2026-11-29T12:00:00Z', 'officer:1', 'case.read')")
                  .ok());
  auto update = lease->execute("UPDATE audit_events SET actor = 'someone else'");
  ASSERT_FALSE(update.ok());
  EXPECT_NE(update.error().message().find("append-only"), std::string::npos);
  EXPECT_FALSE(lease->execute("DELETE FROM audit_events").ok());
  EXPECT_EQ(
      lease->query("SELECT count(*) FROM audit_events").value()[0].get<std::int64_t>(0).value(), 1);
}

}  // namespace
}  // namespace candor::store
