// Candor's own schema on PostgreSQL: the baseline brings an empty database to the version
// SQLite is at, with the same tables, and the public register's log works on it (entries,
// proofs against an in-memory tree, append-only guards, search).
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "register/index.h"
#include "register/log.h"
#include "register/merkle.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/pg_cluster.h"
#include "support/temp_dir.h"

namespace candor::store {
namespace {

std::set<std::string> tables(Database& db, const std::string& sql) {
  auto lease = db.acquire().value();
  std::set<std::string> out;
  auto rows = lease->query(sql);
  EXPECT_TRUE(rows.ok()) << rows.error().to_string();
  if (!rows.ok()) return out;
  for (const auto& row : *rows) out.insert(row.get<std::string>(0).value());
  return out;
}

std::unique_ptr<Database> fresh(const std::string& name) {
  const std::string uri = testing::fresh_pg_database(name);
  return uri.empty() ? nullptr : Database::open({.location = uri}).value();
}

TEST(PgSchema, TheBaselineMatchesSqlitesTables) {
  auto pg = fresh("schema_tables");
  if (pg == nullptr) GTEST_SKIP() << "no PostgreSQL cluster";
  const candor::testing::FixedClock clock;
  auto migrated = migrate(*pg, clock);
  ASSERT_TRUE(migrated.ok()) << migrated.error().to_string();
  const auto report = *migrated;
  EXPECT_EQ(report.from_version, 0);
  EXPECT_EQ(report.to_version, static_cast<int>(builtin_migrations(Backend::sqlite).size()));
  EXPECT_EQ(builtin_migrations(Backend::postgresql).back().version,
            builtin_migrations(Backend::sqlite).back().version);

  candor::testing::TempDir dir;
  auto sqlite = Database::open({.location = dir.file("candor.db")}).value();
  ASSERT_TRUE(migrate(*sqlite, clock).ok());
  EXPECT_EQ(tables(*pg, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"),
            tables(*sqlite, "SELECT name FROM sqlite_schema WHERE type = 'table'"));
}

TEST(PgSchema, TheRegisterLogWorksOnIt) {
  auto db = fresh("schema_register");
  if (db == nullptr) GTEST_SKIP() << "no PostgreSQL cluster";
  const candor::testing::FixedClock clock;
  ASSERT_TRUE(migrate(*db, clock).ok());
  reg::Log log(*db, clock);
  reg::MemoryTree reference;
  std::size_t next = 0;
  for (const std::size_t batch : {1, 5, 16, 3, 20}) {
    std::vector<reg::NewEntry> entries;
    for (std::size_t i = 0; i < batch; ++i, ++next) {
      const std::string id = "E-" + std::to_string(next);
      entries.push_back({.entry_id = id,
                         .leaf_input = R"({"decision":")" +
                                       std::string(next % 3 == 0 ? "refused" : "granted") +
                                       R"(","destination":"MX","entry_id":")" + id + R"("})"});
      reference.append_leaf_hash(reg::leaf_hash(entries.back().leaf_input));
    }
    ASSERT_TRUE(log.append(entries).ok());
  }
  ASSERT_EQ(log.size().value(), next);
  for (std::uint64_t n = 1; n <= next; ++n) {
    ASSERT_EQ(log.root(n).value(), reference.root(n)) << n;
    for (std::uint64_t m = 0; m < n; m += 7) {
      ASSERT_EQ(log.inclusion_proof(m, n).value(), reg::inclusion_path(m, n, reference).value());
    }
  }
  auto lease = db->acquire().value();
  auto rewrite = lease->execute("UPDATE register_entries SET corrects = 'x'");
  ASSERT_FALSE(rewrite.ok());
  EXPECT_EQ(rewrite.error().kind(), ErrorKind::conflict);
  EXPECT_FALSE(log.append({{.entry_id = "E-0", .leaf_input = "{}"}}).ok());

  reg::Index index;
  reg::Query refused;
  refused.decision = "refused";
  EXPECT_EQ(index.count(*lease, refused).value(), (next + 2) / 3);
  const auto page = index.search(*lease, refused, 0, 2).value();
  ASSERT_EQ(page.hits.size(), 2U);
  EXPECT_EQ(page.hits[0].entry_id, "E-42");
  EXPECT_EQ(page.hits[0].published_at, clock.now().to_rfc3339());
}

// Several writers at once (as several candor processes would be): every append lands, in
// one order, and the stored tree is the tree of the stored entries.
TEST(PgSchema, ConcurrentAppendsTakeTurns) {
  auto db = fresh("schema_concurrent");
  if (db == nullptr) GTEST_SKIP() << "no PostgreSQL cluster";
  const candor::testing::FixedClock clock;
  ASSERT_TRUE(migrate(*db, clock).ok());
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  writers.reserve(4);
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      reg::Log log(*db, clock);
      for (int b = 0; b < 10; ++b) {
        std::vector<reg::NewEntry> batch;
        for (int i = 0; i < 5; ++i) {
          const std::string id =
              "W" + std::to_string(w) + "-" + std::to_string(b) + "-" + std::to_string(i);
          batch.push_back({.entry_id = id, .leaf_input = R"({"entry_id":")" + id + R"("})"});
        }
        if (!log.append(batch).ok()) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  reg::Log log(*db, clock);
  ASSERT_EQ(log.size().value(), 200U);
  reg::MemoryTree reference;
  const auto stored = log.entries(0, 200, 200).value();
  for (const auto& e : stored) reference.append_leaf_hash(reg::leaf_hash(e.leaf_input));
  for (std::uint64_t n = 1; n <= 200; n += 13) EXPECT_EQ(log.root(n).value(), reference.root(n));
  EXPECT_EQ(log.root(200).value(), reference.root(200));
}

}  // namespace
}  // namespace candor::store
