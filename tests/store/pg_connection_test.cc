// The PostgreSQL connection against a throwaway cluster: the same contract as SQLite's
// (tests/store/sqlite_database_test.cc) for values, numbered parameters, conflicts and
// transactions.
#include "store/pg_connection.h"

#include <gtest/gtest.h>

#include "support/pg_cluster.h"

namespace candor::store {
namespace {

class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    cluster_ = testing::shared_pg_cluster(why);
    if (cluster_ == nullptr) GTEST_SKIP() << "no PostgreSQL cluster: " << why;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    auto opened = PgConnection::open(cluster_->create_database(std::string("c_") + info->name()));
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    c_ = std::move(opened).value();
  }
  // Through the interface, with its convenience overloads.
  Connection& db() { return *c_; }

  testing::PgCluster* cluster_ = nullptr;
  std::unique_ptr<PgConnection> c_;
};

TEST_F(PgConnectionTest, RoundTripsEveryValueType) {
  ASSERT_TRUE(db().execute_script("CREATE TABLE t (i BIGINT, d DOUBLE PRECISION, s TEXT, b BYTEA, "
                                  "n TEXT, f BOOLEAN)")
                  .ok());
  const Blob blob{{0, 1, 2, 0xFE, 0xFF, '\\', 'x'}};
  ASSERT_EQ(db().execute("INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6)",
                         {std::int64_t{-9007199254740993LL}, 2.5, std::string("caf\xC3\xA9 'q' \\"),
                          blob, null_value(), std::int64_t{1}})
                .value(),
            1);
  const auto rows = db().query("SELECT i, d, s, b, n, f FROM t").value();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].get<std::int64_t>(0).value(), -9007199254740993LL);
  EXPECT_EQ(rows[0].get<double>(1).value(), 2.5);
  EXPECT_EQ(rows[0].get<std::string>(2).value(), "caf\xC3\xA9 'q' \\");
  EXPECT_EQ(rows[0].get<Blob>(3).value(), blob);
  EXPECT_TRUE(rows[0].is_null(4));
  EXPECT_TRUE(rows[0].get<bool>(5).value());
  EXPECT_EQ(rows[0].columns().at(2), "s");
}

TEST_F(PgConnectionTest, NumberedParametersBindByNumber) {
  const auto rows =
      db().query("SELECT $2::text || $1::text", {std::string("a"), std::string("b")}).value();
  EXPECT_EQ(rows[0].get<std::string>(0).value(), "ba");
}

TEST_F(PgConnectionTest, ConstraintViolationsAndTriggerRaisesAreConflicts) {
  ASSERT_TRUE(db().execute_script(
                      "CREATE TABLE t (id BIGINT PRIMARY KEY); CREATE FUNCTION no_update() RETURNS "
                      "trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append-only'; END $$; "
                      "CREATE TRIGGER guard BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION "
                      "no_update()")
                  .ok());
  ASSERT_TRUE(db().execute("INSERT INTO t VALUES ($1)", {std::int64_t{1}}).ok());
  auto again = db().execute("INSERT INTO t VALUES ($1)", {std::int64_t{1}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind(), ErrorKind::conflict);
  auto update = db().execute("UPDATE t SET id = 2", {});
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.error().kind(), ErrorKind::conflict);
  EXPECT_NE(update.error().message().find("append-only"), std::string::npos);
  auto bad = db().query("SELEC 1", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::internal);
}

TEST_F(PgConnectionTest, TransactionsCommitOrRollBack) {
  ASSERT_TRUE(db().execute_script("CREATE TABLE t (id BIGINT)").ok());
  {
    auto tx = Transaction::begin(db(), TransactionMode::write).value();
    ASSERT_TRUE(db().execute("INSERT INTO t VALUES (1)", {}).ok());
  }  // Rolled back.
  {
    auto tx = Transaction::begin(db(), TransactionMode::write).value();
    ASSERT_TRUE(db().execute("INSERT INTO t VALUES (2)", {}).ok());
    ASSERT_TRUE(tx.commit().ok());
  }
  const auto rows = db().query("SELECT id FROM t", {}).value();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].get<std::int64_t>(0).value(), 2);
  // A failed statement inside a transaction fails the transaction, which rolls back.
  {
    auto tx = Transaction::begin(db(), TransactionMode::write).value();
    ASSERT_TRUE(db().execute("INSERT INTO t VALUES (3)", {}).ok());
    EXPECT_FALSE(db().execute("INSERT INTO nowhere VALUES (3)", {}).ok());
  }
  EXPECT_EQ(db().query("SELECT id FROM t", {}).value().size(), 1U);
  // A read transaction cannot write.
  auto read = Transaction::begin(db(), TransactionMode::read).value();
  EXPECT_FALSE(db().execute("INSERT INTO t VALUES (4)", {}).ok());
}

}  // namespace
}  // namespace candor::store
