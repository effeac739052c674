// The aggregator's monitor against registers that behave and registers that do not: served
// from memory, mirrored into a real database (either backend).
#include "register/mirror.h"

#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "register/note.h"
#include "register/publish.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::reg {
namespace {

using nlohmann::json;

TEST(Frontier, GivesTheRootOfEveryTreeSizeAndRoundTrips) {
  MemoryTree tree;
  Frontier frontier;
  EXPECT_EQ(frontier.root(), empty_root());
  for (int i = 0; i < 300; ++i) {
    const Hash leaf = leaf_hash("entry " + std::to_string(i));
    tree.append_leaf_hash(leaf);
    frontier.append(leaf);
    ASSERT_EQ(frontier.root(), tree.root(tree.size())) << "size " << i + 1;
    const auto again = Frontier::parse(frontier.to_text());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->root(), frontier.root());
  }
  for (const std::string bad : {"x", "3:", "12:AAAA", "-1:", ":AAAA", "2:!!"}) {
    EXPECT_FALSE(Frontier::parse(bad).ok()) << bad;
  }
}

std::string entry_bytes(const std::string& authority, int n, const std::string& decision) {
  return json{{"entry_id", authority + "-C-2026-" + std::to_string(1000 + n) + "-1"},
              {"schema", "candor.register.entry/1"},
              {"authority", {{"member_state", authority}, {"name", authority + " authority"}}},
              {"decision", decision},
              {"decision_date", "2026-10-01"},
              {"destination", "AE"},
              {"control_entries", {"4D004"}},
              {"item_category", "intrusion_software"}}
      .dump();
}

// A register served from memory, which can misbehave on request.
class FakeRegister final : public Remote {
 public:
  explicit FakeRegister(const std::string& name) : key_(SignerKey::generate(name).value()) {}

  void set_entries(std::vector<std::string> entries) { entries_ = std::move(entries); }
  const SignerKey& key() const { return key_; }
  bool down = false;
  bool wrong_entry = false;  // Serves one entry other than the one in the tree.

  Result<std::string> get(const std::string& path) override {
    if (down) return Error::unavailable("connection refused");
    MemoryTree tree;
    for (const auto& e : entries_) tree.append_leaf_hash(leaf_hash(e));
    const auto size = static_cast<std::uint64_t>(entries_.size());
    if (path == "/register/key") return key_.verifier().to_string() + "\n";
    if (path == "/register/checkpoint") {
      return sign_note(
          Checkpoint{key_.name, size, size == 0 ? empty_root() : tree.root(size)}.to_text(), key_);
    }
    const auto param = [&](const std::string& name) {
      const auto at = path.find(name + "=");
      return std::stoull(path.substr(at + name.size() + 1));
    };
    if (path.starts_with("/register/entries")) {
      json out = json::array();
      const auto end = std::min<std::uint64_t>(param("end"), size);
      for (auto i = param("start"); i < end; ++i) {
        std::string bytes = entries_[i];
        if (wrong_entry && i == size - 1) bytes = entry_bytes("DE", 999, "granted");
        out.push_back({{"index", i}, {"leaf_input", base64(bytes)}, {"entry", json::parse(bytes)}});
      }
      return json{{"entries", out}}.dump();
    }
    if (path.starts_with("/register/proof/consistency")) {
      const auto first = param("first");
      const auto second = param("second");
      auto proof = consistency_path(first, second, tree);
      if (!proof.ok()) return proof.error();
      json list = json::array();
      for (const auto& h : *proof) list.push_back(base64(to_bytes(h)));
      return json{{"first", first}, {"second", second}, {"consistency_path", list}}.dump();
    }
    return Error::unavailable("404");
  }

 private:
  SignerKey key_;
  std::vector<std::string> entries_;
};

class MirrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CANDOR_ASSIGN_TEST_DATABASE(location_, dir_, "aggregate.db");
    db_ = store::Database::open({.location = location_}).value();
    ASSERT_TRUE(store::migrate(*db_, clock_).ok());
    log_ = std::make_unique<Log>(*db_, clock_);
    mirror_ = std::make_unique<Mirror>(*db_, clock_, *log_);
    ASSERT_TRUE(mirror_->add(kUrl).ok());
  }

  static std::vector<std::string> entries(int count, int changed = -1) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
      out.push_back(entry_bytes("DE", i, i == changed ? "granted" : "refused"));
    }
    return out;
  }

  json status_of() { return mirror_->status().value().at(0); }

  static constexpr const char* kUrl = "https://de.example";
  candor::testing::TempDir dir_;
  std::string location_;
  candor::testing::FixedClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Log> log_;
  std::unique_ptr<Mirror> mirror_;
};

TEST_F(MirrorTest, MirrorsABigRegisterInVerifiedSlicesAcrossRounds) {
  FakeRegister de("de.register.test");
  de.set_entries(entries(2500));
  auto first = mirror_->sync(kUrl, de, 1000);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_TRUE(first->problem.empty()) << first->problem;
  EXPECT_EQ(first->appended, 1000u);
  EXPECT_EQ(first->verified_size, 2500u);
  auto second = mirror_->sync(kUrl, de, 5000);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->mirrored, 2500u);
  // The mirrored entries are the same bytes, so the same leaves.
  const auto local = log_->entries(0, 2500, 2500).value();
  ASSERT_EQ(local.size(), 2500u);
  EXPECT_EQ(local[1234].leaf_input, entries(2500)[1234]);
  EXPECT_EQ(mirror_->origin_of(1234).value()["index"], 1234);
  // It grows, honestly: only the new entries are fetched and appended.
  de.set_entries(entries(2600));
  auto third = mirror_->sync(kUrl, de);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->appended, 100u);
  EXPECT_FALSE(status_of()["flagged"].get<bool>());
  EXPECT_EQ(status_of()["member_state"], "DE");
}

TEST_F(MirrorTest, AGrownRegisterThatChangedAnOldEntryIsFlaggedWithBothCheckpoints) {
  FakeRegister de("de.register.test");
  de.set_entries(entries(40));
  ASSERT_TRUE(mirror_->sync(kUrl, de).ok());
  // Entry 7 changed, five more appended: no consistency proof can hold.
  de.set_entries(entries(45, 7));
  auto round = mirror_->sync(kUrl, de);
  ASSERT_TRUE(round.ok());
  EXPECT_TRUE(round->flagged);
  const auto status = status_of();
  ASSERT_EQ(status["flags"].size(), 1u);
  const auto& flag = status["flags"][0];
  EXPECT_EQ(flag["kind"], "inconsistent");
  const auto verifier = de.key().verifier();
  EXPECT_EQ(
      Checkpoint::parse(open_note(flag["earlier_checkpoint"].get<std::string>(), verifier).value())
          ->size,
      40u);
  EXPECT_EQ(
      Checkpoint::parse(open_note(flag["later_checkpoint"].get<std::string>(), verifier).value())
          ->size,
      45u);
  EXPECT_EQ(log_->size().value(), 40u);
  // Flagged for good: later rounds mirror nothing more.
  de.set_entries(entries(50, 7));
  auto later = mirror_->sync(kUrl, de);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->flagged);
  EXPECT_EQ(log_->size().value(), 40u);
}

TEST_F(MirrorTest, ARegisterThatShrankIsFlagged) {
  FakeRegister de("de.register.test");
  de.set_entries(entries(20));
  ASSERT_TRUE(mirror_->sync(kUrl, de).ok());
  de.set_entries(entries(19));
  auto round = mirror_->sync(kUrl, de);
  ASSERT_TRUE(round.ok());
  EXPECT_TRUE(round->flagged);
  EXPECT_EQ(status_of()["flags"][0]["kind"], "shrank");
}

TEST_F(MirrorTest, EntriesThatAreNotTheSignedTreeAreNeverAppended) {
  FakeRegister de("de.register.test");
  de.set_entries(entries(10));
  de.wrong_entry = true;
  auto round = mirror_->sync(kUrl, de);
  ASSERT_TRUE(round.ok());
  EXPECT_TRUE(round->flagged);
  EXPECT_EQ(status_of()["flags"][0]["kind"], "entries_not_in_tree");
  EXPECT_EQ(log_->size().value(), 0u);
}

TEST_F(MirrorTest, AnUnreachableOrWronglySignedRegisterIsAProblemNotAFlag) {
  FakeRegister de("de.register.test");
  de.set_entries(entries(5));
  de.down = true;
  auto round = mirror_->sync(kUrl, de);
  ASSERT_TRUE(round.ok());
  EXPECT_FALSE(round->flagged);
  EXPECT_NE(round->problem.find("connection refused"), std::string::npos);
  de.down = false;
  ASSERT_TRUE(mirror_->sync(kUrl, de).ok());
  EXPECT_EQ(log_->size().value(), 5u);
  // The same URL now answering with another key: its checkpoints do not verify with the key
  // pinned at first contact, and nothing is taken from it.
  FakeRegister impostor("de.register.test");
  impostor.set_entries(entries(8));
  round = mirror_->sync(kUrl, impostor);
  ASSERT_TRUE(round.ok());
  EXPECT_FALSE(round->flagged);
  EXPECT_NE(round->problem.find("not signed by the register's key"), std::string::npos);
  EXPECT_EQ(log_->size().value(), 5u);
}

}  // namespace
}  // namespace candor::reg
