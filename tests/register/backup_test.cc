// Backups and restores of a whole database, on the backend of the run (support/
// test_database.h): SQLite's online copy, or pg_dump and pg_restore. After a round trip the
// register checks against its own signed checkpoints and has the same root; a changed entry
// is caught; nothing is ever overwritten.
#include "store/backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "register/check.h"
#include "register/log.h"
#include "register/note.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::reg {
namespace {

using candor::testing::FixedClock;

NewEntry entry(std::size_t i) {
  const std::string id = "B-" + std::to_string(i);
  return {.entry_id = id, .leaf_input = R"({"decision":"refused","entry_id":")" + id + R"("})"};
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CANDOR_ASSIGN_TEST_DATABASE(location_, dir_, "candor.db");
    db_ = store::Database::open({.location = location_}).value();
    ASSERT_TRUE(store::migrate(*db_, clock_).ok());
  }
  // `count` entries in batches of 7, a checkpoint signed after each batch.
  void fill(std::size_t count) {
    Log log(*db_, clock_);
    const auto key = SignerKey::generate("register.example/candor").value();
    for (std::size_t next = 0; next < count;) {
      std::vector<NewEntry> batch;
      for (std::size_t i = 0; i < 7 && next < count; ++i) batch.push_back(entry(next++));
      ASSERT_TRUE(log.append(batch).ok());
      ASSERT_TRUE(log.sign_checkpoint(key, "register.example/candor").ok());
    }
  }
  // The SQL of an insider changing a stored entry, in each backend's words.
  void change_entry(store::Database& db, int index) {
    auto lease = db.acquire().value();
    const bool pg = db.backend() == store::Backend::postgresql;
    ASSERT_TRUE(
        lease
            ->execute_script(
                std::string(pg ? "DROP TRIGGER register_entries_no_update ON register_entries; "
                                 "UPDATE register_entries SET leaf_input = convert_to(replace("
                                 "convert_from(leaf_input, 'UTF8'), 'refused', 'granted'), "
                                 "'UTF8')"
                               : "DROP TRIGGER register_entries_no_update; UPDATE "
                                 "register_entries SET leaf_input = CAST(replace(CAST(leaf_input "
                                 "AS TEXT), 'refused', 'granted') AS BLOB)") +
                " WHERE idx = " + std::to_string(index))
            .ok());
  }

  candor::testing::TempDir dir_;
  std::string location_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(BackupTest, ARoundTripKeepsTheRegisterAndItsCheckpoints) {
  fill(100);
  const Hash root = Log(*db_, clock_).root(100).value();
  const std::string file = dir_.file("candor.backup");
  ASSERT_TRUE(store::write_backup(location_, file).ok());
  EXPECT_EQ(store::backup_format_of(file).value(),
            testing::postgresql_run() ? store::BackupFormat::pg_dump : store::BackupFormat::sqlite);
  EXPECT_FALSE(std::filesystem::exists(file + ".partial"));

  std::string restored_location;
  CANDOR_ASSIGN_TEST_DATABASE(restored_location, dir_, "restored.db");
  auto restored_check = store::restore_backup(file, restored_location);
  ASSERT_TRUE(restored_check.ok()) << restored_check.error().to_string();
  auto restored = store::Database::open({.location = restored_location}).value();
  const auto check = check_stored_log(*restored, clock_);
  ASSERT_TRUE(check.ok()) << check.error().to_string();
  EXPECT_EQ(check->entries, 100U);
  EXPECT_EQ(check->checkpoints, 15U);  // ceil(100 / 7)
  EXPECT_EQ(check->root, root);
  // The restored register goes on growing where the old one stopped.
  Log log(*restored, clock_);
  ASSERT_EQ(log.append({entry(100)}).value(), 100U);
  EXPECT_TRUE(check_stored_log(*restored, clock_).ok());
}

TEST_F(BackupTest, ABackupTakenWhileAppendsGoOnIsOneConsistentMoment) {
  fill(20);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> batches{0};
  std::thread writer([&] {
    Log log(*db_, clock_);
    for (std::size_t next = 20; !stop.load() && next < 20000; next += 10) {
      std::vector<NewEntry> batch;
      for (std::size_t i = 0; i < 10; ++i) batch.push_back(entry(next + i));
      if (!log.append(batch).ok()) ++failures;
      ++batches;
    }
  });
  while (batches.load() < 3 && failures.load() == 0) std::this_thread::yield();
  const std::string file = dir_.file("during.backup");
  auto written = store::write_backup(location_, file);
  stop = true;
  writer.join();
  ASSERT_TRUE(written.ok()) << written.error().to_string();
  EXPECT_EQ(failures.load(), 0);
  std::string restored_location;
  CANDOR_ASSIGN_TEST_DATABASE(restored_location, dir_, "restored.db");
  ASSERT_TRUE(store::restore_backup(file, restored_location).ok());
  auto restored = store::Database::open({.location = restored_location}).value();
  const auto check = check_stored_log(*restored, clock_);
  ASSERT_TRUE(check.ok()) << check.error().to_string();
  EXPECT_GE(check->entries, 50U);
  EXPECT_EQ(check->entries % 10, 0U);  // Whole batches only.
}

TEST_F(BackupTest, AChangedEntryIsCaughtByTheCheck) {
  fill(40);
  ASSERT_TRUE(check_stored_log(*db_, clock_).ok());
  change_entry(*db_, 17);
  const auto check = check_stored_log(*db_, clock_);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.error().kind(), ErrorKind::data_loss);
  EXPECT_NE(check.error().message().find("changed"), std::string::npos)
      << check.error().to_string();
  // A check that refuses the copy leaves no backup behind.
  const std::string file = dir_.file("refused.backup");
  auto written = store::write_backup(location_, file, [&](const std::string&) -> Result<void> {
    return Error::data_loss("refused");
  });
  if (!testing::postgresql_run()) {
    EXPECT_FALSE(written.ok());
    EXPECT_FALSE(std::filesystem::exists(file));
    EXPECT_FALSE(std::filesystem::exists(file + ".partial"));
  }
}

TEST_F(BackupTest, NothingIsOverwritten) {
  fill(7);
  const std::string file = dir_.file("candor.backup");
  { std::ofstream(file) << "an earlier backup"; }
  auto again = store::write_backup(location_, file);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind(), ErrorKind::conflict);
  std::filesystem::remove(file);
  ASSERT_TRUE(store::write_backup(location_, file).ok());
  // Restoring into the database the backup came from (not empty) is refused.
  auto over = store::restore_backup(file, location_);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind(), ErrorKind::conflict) << over.error().to_string();
  EXPECT_TRUE(check_stored_log(*db_, clock_).ok());
}

TEST(BackupFiles, AreToldApartAndOtherFilesRefused) {
  candor::testing::TempDir dir;
  const std::string text = dir.file("notes.txt");
  { std::ofstream(text) << "not a backup"; }
  EXPECT_EQ(store::backup_format_of(text).error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(store::backup_format_of(dir.file("missing")).error().kind(), ErrorKind::not_found);
  const std::string archive = dir.file("archive.dump");
  { std::ofstream(archive) << "PGDMP and then some"; }
  EXPECT_EQ(store::backup_format_of(archive).value(), store::BackupFormat::pg_dump);
  // A pg_dump archive does not go into a SQLite file.
  auto wrong = store::restore_backup(archive, dir.file("new.db"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind(), ErrorKind::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir.file("new.db")));
}

}  // namespace
}  // namespace candor::reg
