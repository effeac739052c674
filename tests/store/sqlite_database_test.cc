#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "store/database.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::store {
namespace {

// SQLite's own tests; the PostgreSQL run of this suite leaves them to pg_tests, which holds
// PostgreSQL's counterparts.
#define CANDOR_SQLITE_ONLY() \
  if (testing::postgresql_run()) GTEST_SKIP() << "SQLite only; PostgreSQL's are in pg_tests"

std::unique_ptr<Database> open_db(const std::string& path) {
  auto db = Database::open({.location = path});
  EXPECT_TRUE(db.ok()) << db.error().to_string();
  return std::move(db).value();
}

std::string pragma(Connection& c, const std::string& name) {
  auto rows = c.query("PRAGMA " + name).value();
  const Value& v = rows.at(0).at(0);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  return std::get<std::string>(v);
}

TEST(SqliteDatabase, ConfiguresWalForeignKeysAndBusyTimeout) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  auto db = open_db(dir.file("candor.db"));
  EXPECT_EQ(db->backend(), Backend::sqlite);
  auto lease = db->acquire().value();
  EXPECT_EQ(pragma(*lease, "journal_mode"), "wal");
  EXPECT_EQ(pragma(*lease, "foreign_keys"), "1");
  EXPECT_EQ(pragma(*lease, "busy_timeout"), "5000");
  EXPECT_EQ(pragma(*lease, "synchronous"), "2");  // FULL
  EXPECT_EQ(pragma(*lease, "application_id"), "1128353348");
}

TEST(SqliteDatabase, RoundTripsEveryValueType) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  auto db = open_db(dir.file("candor.db"));
  auto lease = db->acquire().value();
  ASSERT_TRUE(lease->execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)").ok());
  const Blob blob{{0x00, 0xFF, 0x10}};
  ASSERT_TRUE(
      lease
          ->execute("INSERT INTO t VALUES ($1, $2, $3, $4, $5)",
                    {std::int64_t{-42}, 2.5, std::string("Caf\xC3\xA9\0x", 7), blob, null_value()})
          .ok());
  auto rows = lease->query("SELECT i, r, s, b, n FROM t").value();
  ASSERT_EQ(rows.size(), 1U);
  const Row& row = rows[0];
  EXPECT_EQ(row.columns(), (std::vector<std::string>{"i", "r", "s", "b", "n"}));
  EXPECT_EQ(row.get<std::int64_t>(0).value(), -42);
  EXPECT_EQ(row.get<double>(1).value(), 2.5);
  EXPECT_EQ(row.get<std::string>(2).value(), std::string("Caf\xC3\xA9\0x", 7));
  EXPECT_EQ(row.get<Blob>(3).value(), blob);
  EXPECT_TRUE(row.is_null(4));
  EXPECT_EQ(row.get<std::optional<std::string>>(4).value(), std::nullopt);
  EXPECT_EQ(row.get<std::optional<std::int64_t>>(0).value(), -42);
  // Asking for the wrong type is an error naming the column, not a silent conversion.
  auto wrong = row.get<std::int64_t>(2);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("column 's'"), std::string::npos);
  EXPECT_FALSE(row.get<std::string>(9).ok());
}

TEST(SqliteDatabase, NumberedParametersBindByNumberNotPosition) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  auto db = open_db(dir.file("candor.db"));
  auto lease = db->acquire().value();
  auto rows =
      lease->query("SELECT $2 || '-' || $1 || '-' || $2", {std::string("a"), std::string("b")})
          .value();
  EXPECT_EQ(rows[0].get<std::string>(0).value(), "b-a-b");
  EXPECT_FALSE(lease->query("SELECT $1", {}).ok());  // Too few parameters.
  EXPECT_FALSE(lease->query("SELECT ?").ok());       // Only $N is allowed.
}

TEST(SqliteDatabase, ConstraintViolationsAreConflicts) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  auto db = open_db(dir.file("candor.db"));
  auto lease = db->acquire().value();
  ASSERT_TRUE(lease
                  ->execute_script("CREATE TABLE p (id INTEGER PRIMARY KEY);"
                                   "CREATE TABLE c (p INTEGER NOT NULL REFERENCES p(id));")
                  .ok());
  auto orphan = lease->execute("INSERT INTO c VALUES (7)");
  ASSERT_FALSE(orphan.ok());  // Foreign keys are enforced.
  EXPECT_EQ(orphan.error().kind(), ErrorKind::conflict);
  ASSERT_TRUE(lease->execute("INSERT INTO p VALUES (1)").ok());
  auto duplicate = lease->execute("INSERT INTO p VALUES (1)");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().kind(), ErrorKind::conflict);
}

TEST(SqliteDatabase, TransactionsCommitOrRollBack) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  auto db = open_db(dir.file("candor.db"));
  {
    auto lease = db->acquire().value();
    ASSERT_TRUE(lease->execute("CREATE TABLE t (x INTEGER)").ok());
  }
  auto committed = db->transact<std::int64_t>(TransactionMode::write, [](Connection& c) {
    return c.execute("INSERT INTO t VALUES (1), (2)");
  });
  ASSERT_TRUE(committed.ok());
  EXPECT_EQ(committed.value(), 2);
  auto failed = db->transact<void>(TransactionMode::write, [](Connection& c) -> Result<void> {
    CANDOR_TRY(c.execute("INSERT INTO t VALUES (3)"));
    return Error::conflict("changed my mind");
  });
  EXPECT_FALSE(failed.ok());
  auto lease = db->acquire().value();
  EXPECT_EQ(lease->query("SELECT count(*) FROM t").value()[0].get<std::int64_t>(0).value(), 2);
}

TEST(SqliteDatabase, PoolServesThreadsConcurrently) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  auto db = open_db(dir.file("candor.db"));
  {
    auto lease = db->acquire().value();
    ASSERT_TRUE(lease->execute("CREATE TABLE t (x INTEGER)").ok());
  }
  constexpr int kThreads = 4;
  constexpr int kInserts = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&db, &failures] {
      for (int i = 0; i < kInserts; ++i) {
        auto r = db->transact<std::int64_t>(TransactionMode::write, [i](Connection& c) {
          return c.execute("INSERT INTO t VALUES ($1)", {std::int64_t{i}});
        });
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto lease = db->acquire().value();
  EXPECT_EQ(lease->query("SELECT count(*) FROM t").value()[0].get<std::int64_t>(0).value(),
            kThreads * kInserts);
}

TEST(SqliteDatabase, MissingFolderIsUnavailableAndCreatesNothing) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  const std::string path = dir.file("no/such/folder/candor.db");
  auto db = Database::open({.location = path});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind(), ErrorKind::unavailable);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "no"));
}

TEST(SqliteDatabase, MustExistRefusesAMissingFile) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  auto db = Database::open({.location = dir.file("candor.db"), .create = CreateMode::must_exist});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind(), ErrorKind::not_found);
  EXPECT_FALSE(std::filesystem::exists(dir.file("candor.db")));
}

TEST(SqliteDatabase, FileThatIsNotADatabaseIsReportedAndKept) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  const std::string path = dir.file("notes.db");
  const std::string content = "These are my notes, not a database. Please keep them.\n";
  { std::ofstream(path) << content; }
  auto db = Database::open({.location = path});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind(), ErrorKind::data_loss);
  std::ifstream in(path);
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, content);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(SqliteDatabase, RefusesAnotherProgramsDatabase) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  const std::string path = dir.file("other.db");
  {
    auto db = open_db(path);
    auto lease = db->acquire().value();
    // Make it look like a file some other program wrote.
    ASSERT_TRUE(lease->execute_script("PRAGMA application_id = 0; CREATE TABLE theirs (x);").ok());
  }
  auto db = Database::open({.location = path});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind(), ErrorKind::failed_precondition);
}

TEST(SqliteDatabase, FolderPathIsRefused) {
  CANDOR_SQLITE_ONLY();
  testing::TempDir dir;
  auto db = Database::open({.location = dir.path().string()});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind(), ErrorKind::unavailable);
}

}  // namespace
}  // namespace candor::store
