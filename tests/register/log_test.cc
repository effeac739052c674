#include "register/log.h"

#include <gtest/gtest.h>

#include <random>

#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"

namespace candor::reg {
namespace {

using candor::testing::FixedClock;

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::Database::open({.location = dir_.file("candor.db")}).value();
    ASSERT_TRUE(store::migrate(*db_, store::builtin_migrations(), clock_).ok());
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
