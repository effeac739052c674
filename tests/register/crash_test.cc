// A register killed with SIGKILL in the middle of appending keeps every entry it acknowledged
// and a consistent tree: the stored nodes give the same root as the leaves, and appending
// goes on where it stopped. On both backends (the PostgreSQL run kills a client of the
// server, whose open transaction the server then rolls back).
#include <gtest/gtest.h>

#include <csignal>
#include <random>

#include "register/log.h"
#include "store/migrations.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::reg {
namespace {

TEST(RegisterCrash, KillDuringAppendsLosesNoCommittedEntryAndLeavesAConsistentLog) {
  candor::testing::TempDir dir;
  CANDOR_TEST_DATABASE(path, dir, "register.db");
  std::mt19937 random(2026);
  std::uint64_t acknowledged = 0;
  for (int round = 0; round < 6; ++round) {
    {
      candor::testing::Running appender({CANDOR_APPENDER_PATH, path});
      // Let it commit a varying number of batches, then kill it mid-stride.
      const int batches = 5 + static_cast<int>(random() % 40);
      for (int i = 0; i < batches; ++i) {
        const std::string line = appender.read_line(10000);
        ASSERT_FALSE(line.empty()) << "the appender stopped";
        acknowledged = std::stoull(line);
      }
      appender.send_signal(SIGKILL);
      EXPECT_EQ(appender.wait(10000), -1);
    }
    auto db = store::Database::open({.location = path}).value();
    const SystemClock clock;
    ASSERT_TRUE(store::migrate(*db, clock).ok());
    Log log(*db, clock);
    const std::uint64_t size = log.size().value();
    EXPECT_GE(size, acknowledged) << "round " << round;
    // The tree from the stored nodes equals the tree from the stored leaves, at every size.
    MemoryTree tree;
    const auto entries = log.entries(0, size, size).value();
    ASSERT_EQ(entries.size(), size);
    for (const auto& e : entries) {
      ASSERT_EQ(e.leaf_input.find("\"K-" + std::to_string(e.index) + "\""), 12U);
      tree.append_leaf_hash(leaf_hash(e.leaf_input));
    }
    for (std::uint64_t n = 1; n <= size; n += 1 + n / 7) {
      ASSERT_EQ(log.root(n).value(), tree.root(n)) << "size " << n;
    }
    ASSERT_EQ(log.root(size).value(), tree.root(size));
    const std::uint64_t probe = size / 2;
    const auto path = log.inclusion_proof(probe, size).value();
    std::vector<std::string> proof;
    for (const auto& h : path) proof.push_back(to_bytes(h));
    EXPECT_TRUE(
        verify_inclusion(probe, size, to_bytes(tree.leaf(probe)), proof, to_bytes(tree.root(size)))
            .ok());
  }
  EXPECT_GT(acknowledged, 30U);
}

}  // namespace
}  // namespace candor::reg
