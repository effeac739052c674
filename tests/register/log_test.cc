#include "register/log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <set>
#include <span>
#include <thread>

#include "register/publish.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::reg {
namespace {

using candor::testing::FixedClock;

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CANDOR_TEST_DATABASE(location, dir_, "candor.db");
    db_ = store::Database::open({.location = location}).value();
    ASSERT_TRUE(store::migrate(*db_, clock_).ok());
  }
  static NewEntry entry(std::size_t i) {
    NewEntry e;
    e.entry_id = "E-" + std::to_string(i);
    e.leaf_input = R"({"entry_id":"E-)" + std::to_string(i) + R"("})";
    return e;
  }

  candor::testing::TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
};

// Servers publishing the same queue at the same moment, each with a database pool of its
// own as separate processes have: every queued entry is appended once, none fails.
TEST(Publication, ServersPublishingTheSameQueueAppendEachEntryOnce) {
  candor::testing::TempDir dir;
  FixedClock clock;
  CANDOR_TEST_DATABASE(location, dir, "candor.db");
  auto db = store::Database::open({.location = location}).value();
  ASSERT_TRUE(store::migrate(*db, clock).ok());
  constexpr int kEntries = 40;
  ASSERT_TRUE(
      db->transact<void>(store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
          for (int i = 0; i < kEntries; ++i) {
            CANDOR_TRY(queue_entry(c, {{"entry_id", "Q-" + std::to_string(i)}}, clock.now()));
          }
          return {};
        }).ok());
  constexpr int kServers = 4;
  std::atomic<int> ready{0};
  std::atomic<int> failures{0};
  std::atomic<std::size_t> published{0};
  std::vector<std::thread> servers;
  servers.reserve(kServers);
  for (int s = 0; s < kServers; ++s) {
    servers.emplace_back([&] {
      auto own = store::Database::open({.location = location});
      if (!own.ok()) {
        ++failures;
        return;
      }
      Log log(**own, clock);
      ++ready;
      while (ready.load() < kServers) std::this_thread::yield();
      for (int round = 0; round < 3; ++round) {
        auto done = publish_due(**own, log, clock.now());
        if (done.ok()) {
          published += *done;
        } else {
          ++failures;
          ADD_FAILURE() << done.error().to_string();
        }
      }
    });
  }
  for (auto& server : servers) server.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(published.load(), static_cast<std::size_t>(kEntries));
  Log log(*db, clock);
  ASSERT_EQ(log.size().value(), static_cast<std::uint64_t>(kEntries));
  std::set<std::string> ids;
  const auto stored = log.entries(0, kEntries, kEntries).value();
  for (const auto& e : stored) ids.insert(e.leaf_input);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEntries));
}

TEST_F(LogTest, StoredProofsEqualTheInMemoryTreeForEverySizeAndBatching) {
  Log log(*db_, clock_);
  MemoryTree reference;
  std::mt19937 random(7);
  std::size_t next = 0;
  constexpr std::size_t kMax = 80;
  while (next < kMax) {
    // Batches of 1 to 9 entries, so that batches start at every kind of position.
    const std::size_t count = std::min<std::size_t>(1 + random() % 9, kMax - next);
    std::vector<NewEntry> batch;
    for (std::size_t i = 0; i < count; ++i) {
      batch.push_back(entry(next + i));
      reference.append_leaf_hash(leaf_hash(batch.back().leaf_input));
    }
    ASSERT_EQ(log.append(batch).value(), next);
    next += count;
  }
  ASSERT_EQ(log.size().value(), kMax);
  for (std::uint64_t n = 1; n <= kMax; ++n) {
    ASSERT_EQ(log.root(n).value(), reference.root(n)) << n;
    for (std::uint64_t m = 0; m < n; m += 3) {
      ASSERT_EQ(log.inclusion_proof(m, n).value(), inclusion_path(m, n, reference).value());
    }
    for (std::uint64_t m = 1; m <= n; m += 5) {
      ASSERT_EQ(log.consistency_proof(m, n).value(), consistency_path(m, n, reference).value());
    }
  }
  EXPECT_EQ(log.root(0).value(), empty_root());
  EXPECT_FALSE(log.root(kMax + 1).ok());
  EXPECT_FALSE(log.inclusion_proof(0, kMax + 1).ok());
  const auto page = log.entries(10, 20, 5).value();
  ASSERT_EQ(page.size(), 5U);
  EXPECT_EQ(page[0].index, 10U);
  EXPECT_EQ(page[0].leaf_input, entry(10).leaf_input);
}

TEST_F(LogTest, EntriesAreNeverRewrittenNorRepeated) {
  Log log(*db_, clock_);
  ASSERT_TRUE(log.append({entry(0), entry(1), entry(2)}).ok());
  EXPECT_EQ(log.append({entry(3), entry(1)}).error().kind(), ErrorKind::conflict);
  EXPECT_EQ(log.size().value(), 3U) << "the failed batch left nothing behind";
  auto lease = db_->acquire().value();
  EXPECT_FALSE(lease->execute("UPDATE register_entries SET leaf_input = x'00'").ok());
  EXPECT_FALSE(lease->execute("DELETE FROM register_entries").ok());
  // Nodes are stored for subtrees of 16 leaves and more.
  std::vector<NewEntry> more;
  for (int i = 3; i < 16; ++i) more.push_back(entry(i));
  ASSERT_TRUE(log.append(more).ok());
  ASSERT_EQ(
      lease->query("SELECT COUNT(*) FROM register_nodes").value()[0].get<std::int64_t>(0).value(),
      1);
  EXPECT_FALSE(lease->execute("UPDATE register_nodes SET hash = x'00'").ok());
  EXPECT_FALSE(lease->execute("DELETE FROM register_nodes").ok());
}

TEST_F(LogTest, CheckpointsAreSignedStoredAndVerifiable) {
  Log log(*db_, clock_);
  const auto key = SignerKey::generate("register.example/candor").value();
  EXPECT_FALSE(log.latest_checkpoint().value().has_value());
  ASSERT_TRUE(log.append({entry(0), entry(1), entry(2), entry(3), entry(4)}).ok());
  const auto note = log.sign_checkpoint(key, "register.example/candor").value();
  const auto text = open_note(note, key.verifier()).value();
  const auto checkpoint = Checkpoint::parse(text).value();
  EXPECT_EQ(checkpoint.size, 5U);
  EXPECT_EQ(checkpoint.root, log.root(5).value());
  EXPECT_EQ(log.latest_checkpoint().value().value(), note);
  EXPECT_EQ(log.sign_checkpoint(key, "register.example/candor").value(), note)
      << "the same size is signed once";
}

}  // namespace
}  // namespace candor::reg

namespace candor::reg {
namespace {

// A register written under the schema of migration 6 (search columns beside each entry, every
// node stored) keeps its entries, their order, its root and its publication times when the
// later migrations move it to bytes-only entries.
TEST(LogMigration, KeepsEveryEntryAndTheRootOfAnEarlierSchema) {
  if (candor::testing::postgresql_run()) {
    GTEST_SKIP() << "PostgreSQL's register began at version 8; there is no earlier schema to move";
  }
  candor::testing::TempDir dir;
  candor::testing::FixedClock clock;
  auto db = store::Database::open({.location = dir.file("old.db")}).value();
  const auto& all = store::builtin_migrations();
  ASSERT_TRUE(store::migrate(*db, std::span(all).first(6), clock).ok());
  MemoryTree reference;
  {
    auto lease = db->acquire().value();
    for (int i = 0; i < 20; ++i) {
      const std::string leaf = R"({"decision":"refused","destination":"MX","entry_id":"E-)" +
                               std::to_string(i) + R"("})";
      const Hash hash = leaf_hash(leaf);
      reference.append_leaf_hash(hash);
      ASSERT_TRUE(
          lease
              ->execute(
                  "INSERT INTO register_entries (idx, entry_id, leaf_input, "
                  "leaf_hash, published_at, destination, decision) VALUES ($1, $2, "
                  "$3, $4, $5, 'MX', 'refused')",
                  {static_cast<std::int64_t>(i), "E-" + std::to_string(i),
                   store::Blob{{leaf.begin(), leaf.end()}}, store::Blob{{hash.begin(), hash.end()}},
                   std::string(i < 12 ? "2026-01-01T00:00:00Z" : "2026-02-01T00:00:00Z")})
              .ok());
    }
    // The nodes the log of then stored: every level.
    for (std::uint64_t level = 1; level <= 4; ++level) {
      for (std::uint64_t k = 0; (k + 1) << level <= 20; ++k) {
        const Hash h = reference.range_hash(k << level, (k + 1) << level).value();
        ASSERT_TRUE(lease
                        ->execute("INSERT INTO register_nodes (level, idx, hash) VALUES ($1, $2, "
                                  "$3)",
                                  {static_cast<std::int64_t>(level), static_cast<std::int64_t>(k),
                                   store::Blob{{h.begin(), h.end()}}})
                        .ok());
      }
    }
  }
  ASSERT_TRUE(store::migrate(*db, all, clock).ok());
  Log log(*db, clock);
  ASSERT_EQ(log.size().value(), 20U);
  for (std::uint64_t n = 1; n <= 20; ++n) EXPECT_EQ(log.root(n).value(), reference.root(n)) << n;
  auto lease = db->acquire().value();
  EXPECT_EQ(published_at(*lease, 0).value(), "2026-01-01T00:00:00Z");
  EXPECT_EQ(published_at(*lease, 11).value(), "2026-01-01T00:00:00Z");
  EXPECT_EQ(published_at(*lease, 12).value(), "2026-02-01T00:00:00Z");
  EXPECT_EQ(published_at(*lease, 19).value(), "2026-02-01T00:00:00Z");
  // And it goes on growing.
  ASSERT_TRUE(log.append({NewEntry{.entry_id = "E-20", .leaf_input = "{}"}}).ok());
  reference.append_leaf_hash(leaf_hash("{}"));
  EXPECT_EQ(log.root(21).value(), reference.root(21));
}

}  // namespace
}  // namespace candor::reg
