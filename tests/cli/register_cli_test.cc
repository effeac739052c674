// Black-box tests of `candor import decisions` and `candor register verify`, run as a
// journalist or an authority would run them.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>

#include "support/process.h"
#include "support/temp_dir.h"

namespace candor {
namespace {

using testing::run_to_end;
using testing::Running;

const std::string kCandor = CANDOR_BINARY_PATH;

testing::Finished candor(std::vector<std::string> args) {
  args.insert(args.begin(), kCandor);
  return run_to_end(args);
}

constexpr const char* kLicences =
    "licence_group,date,rating,count,value,country,refused\n"
    "1,2008-01-02,ML10,1,3540,Italy,0\n"
    "8,2008-01-02,5A002,1,10750000,\"Hong Kong Special Administrative Region\",0\n"
    "15,2008-01-03,5A002,1,293260,Egypt,0\n"
    "15,2008-01-03,5D002,1,41610,Egypt,0\n"
    "16,2009-02-01,5A001,1,,Iran,1\n";

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// What an insider with the database file could do behind the server's back.
void tamper(const std::string& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
  sqlite3_free(error);
  sqlite3_close(handle);
}

TEST(RegisterCli, ImportThenVerifyCatchesAnEditedEntry) {
  testing::TempDir dir;
  const std::string db = dir.file("candor.db");
  write(dir.file("licences.csv"), kLicences);
  auto imported =
      candor({"import", "decisions", "--db", db, "--format", "caat-uk", dir.file("licences.csv")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("Imported 4 decisions (1 refusals) from 5 rows"), std::string::npos)
      << imported.out;
  auto again = candor({"import", "decisions", "--db", db, dir.file("licences.csv")});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("All 4 decisions"), std::string::npos) << again.out;
  write(dir.file("changed.csv"),
        std::regex_replace(std::string(kLicences), std::regex("Italy"), "France"));
  auto changed = candor({"import", "decisions", "--db", db, dir.file("changed.csv")});
  EXPECT_EQ(changed.exit_code, 2);
  EXPECT_NE(changed.err.find("never changed"), std::string::npos) << changed.err;
  write(dir.file("bad.csv"),
        "licence_group,date,rating,count,value,country,refused\n1,x,ML1,1,1,Italy,0\n");
  auto bad = candor({"import", "decisions", "--db", db, dir.file("bad.csv")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("line 2"), std::string::npos) << bad.err;

  // A correction is a new entry; the old one stays and cannot be corrected twice.
  auto corrected = candor({"register", "correct", "--db", db, "--entry", "GB-CAAT-15", "--set",
                           "destination=LY", "--reason", "Transcription error"});
  EXPECT_EQ(corrected.exit_code, 0) << corrected.err;
  EXPECT_NE(corrected.out.find("Published GB-CAAT-15-c1, correcting GB-CAAT-15, as entry 4"),
            std::string::npos)
      << corrected.out;
  EXPECT_EQ(candor({"register", "correct", "--db", db, "--entry", "GB-CAAT-15", "--set",
                    "destination=EG", "--reason", "again"})
                .exit_code,
            2);
  EXPECT_EQ(candor({"register", "correct", "--db", db, "--entry", "GB-CAAT-15-c1", "--set",
                    "entry_id=X", "--reason", "no"})
                .exit_code,
            2);
  EXPECT_EQ(candor({"register", "correct", "--db", db, "--entry", "nope", "--set", "destination=EG",
                    "--reason", "no"})
                .exit_code,
            2);

  ASSERT_EQ(candor({"admin", "keygen", "--name", "register.test/candor", "--out",
                    dir.file("register.key")})
                .exit_code,
            0);
  Running server({kCandor, "serve", "--db", db, "--listen", "127.0.0.1:0", "--register-key",
                  dir.file("register.key"), "--log-level", "warn"});
  std::smatch m;
  const std::string first = server.read_line(30000);
  ASSERT_TRUE(std::regex_search(first, m, std::regex("(http://127.0.0.1:[0-9]+)/"))) << first;
  const std::string url = m[1].str();
  const std::string state = dir.file("register.state");

  auto day1 = candor({"register", "verify", "--url", url, "--state", state, "--full"});
  EXPECT_EQ(day1.exit_code, 0) << day1.out << day1.err;
  EXPECT_NE(day1.out.find("VERIFIED"), std::string::npos);
  EXPECT_NE(day1.out.find("fetched from the register (first use)"), std::string::npos);
  auto day2 = candor({"register", "verify", "--url", url, "--state", state});
  EXPECT_EQ(day2.exit_code, 0) << day2.out;
  EXPECT_NE(day2.out.find("unchanged since"), std::string::npos) << day2.out;

  // One byte of one stored entry changed: --full sees it, exit 3, the state is kept.
  std::ifstream before_file(state);
  const std::string before((std::istreambuf_iterator<char>(before_file)), {});
  tamper(db,
         "DROP TRIGGER register_entries_no_update; UPDATE register_entries SET leaf_input = "
         "CAST(replace(CAST(leaf_input AS TEXT), 'Egypt', 'Egypu') AS BLOB) WHERE entry_id = "
         "'GB-CAAT-15'");
  auto day3 = candor({"register", "verify", "--url", url, "--state", state, "--full"});
  EXPECT_EQ(day3.exit_code, 3) << day3.out;
  EXPECT_NE(day3.out.find("FAILED"), std::string::npos) << day3.out;
  std::ifstream after_file(state);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(after_file)), {}), before);

  // Another key than the one trusted.
  ASSERT_EQ(
      candor({"admin", "keygen", "--name", "register.test/candor", "--out", dir.file("other.key")})
          .exit_code,
      0);
  auto other = candor({"admin", "keygen", "--name", "x", "--out", dir.file("third.key")});
  auto wrong_key = candor(
      {"register", "verify", "--url", url, "--key", other.out.substr(0, other.out.find('\n'))});
  EXPECT_EQ(wrong_key.exit_code, 3) << wrong_key.out;

  server.send_signal(SIGTERM);
  EXPECT_EQ(server.wait(10000), 0);
  auto unreachable = candor({"register", "verify", "--url", url});
  EXPECT_EQ(unreachable.exit_code, 1) << unreachable.err;
  EXPECT_EQ(candor({"register", "verify", "--url", "ftp://x"}).exit_code, 2);
  write(dir.file("broken.state"), "{not json");
  EXPECT_EQ(
      candor({"register", "verify", "--url", url, "--state", dir.file("broken.state")}).exit_code,
      2);
}

// `candor backup` of a register being served, `candor restore` into a new file, and a server
// on the restored file that a journalist's earlier verification accepts as the same register.
TEST(BackupCli, ARestoredRegisterVerifiesAsTheSameLog) {
  testing::TempDir dir;
  const std::string db = dir.file("candor.db");
  write(dir.file("licences.csv"), kLicences);
  ASSERT_EQ(candor({"import", "decisions", "--db", db, dir.file("licences.csv")}).exit_code, 0);
  ASSERT_EQ(candor({"admin", "keygen", "--name", "register.test/candor", "--out",
                    dir.file("register.key")})
                .exit_code,
            0);
  const std::string state = dir.file("register.state");
  const std::string backup = dir.file("candor.backup");
  {
    Running server({kCandor, "serve", "--db", db, "--listen", "127.0.0.1:0", "--register-key",
                    dir.file("register.key"), "--log-level", "warn"});
    std::smatch m;
    const std::string first = server.read_line(30000);
    ASSERT_TRUE(std::regex_search(first, m, std::regex("(http://127.0.0.1:[0-9]+)/"))) << first;
    auto verified = candor({"register", "verify", "--url", m[1].str(), "--state", state});
    ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    // Taken while the server runs.
    auto taken = candor({"backup", "--db", db, backup});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
    EXPECT_NE(taken.out.find("4 entries and 1 signed checkpoint checked"), std::string::npos)
        << taken.out;
    auto twice = candor({"backup", "--db", db, backup});
    EXPECT_EQ(twice.exit_code, 2);
    EXPECT_NE(twice.err.find("never overwrites"), std::string::npos) << twice.err;
    server.send_signal(SIGTERM);
    EXPECT_EQ(server.wait(10000), 0);
  }
  const std::string restored = dir.file("restored.db");
  auto put_back = candor({"restore", "--db", restored, backup});
  ASSERT_EQ(put_back.exit_code, 0) << put_back.err;
  EXPECT_NE(put_back.out.find("Restored"), std::string::npos) << put_back.out;
  EXPECT_EQ(candor({"restore", "--db", restored, backup}).exit_code, 2);
  {
    Running server({kCandor, "serve", "--db", restored, "--listen", "127.0.0.1:0", "--register-key",
                    dir.file("register.key"), "--log-level", "warn"});
    std::smatch m;
    const std::string first = server.read_line(30000);
    ASSERT_TRUE(std::regex_search(first, m, std::regex("(http://127.0.0.1:[0-9]+)/"))) << first;
    auto again = candor({"register", "verify", "--url", m[1].str(), "--state", state, "--full"});
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("VERIFIED"), std::string::npos) << again.out;
    server.send_signal(SIGTERM);
    EXPECT_EQ(server.wait(10000), 0);
  }

  // A backup whose entry was changed is refused, and leaves no database behind.
  tamper(backup,
         "DROP TRIGGER register_entries_no_update; UPDATE register_entries SET leaf_input = "
         "CAST(replace(CAST(leaf_input AS TEXT), 'Egypt', 'Egypu') AS BLOB) WHERE entry_id = "
         "'GB-CAAT-15'");
  auto refused = candor({"restore", "--db", dir.file("from-changed.db"), backup});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("changed"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("from-changed.db")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("from-changed.db.restoring")));
  auto not_backup = candor({"restore", "--db", dir.file("x.db"), dir.file("licences.csv")});
  EXPECT_EQ(not_backup.exit_code, 2);
  EXPECT_NE(not_backup.err.find("not a candor backup"), std::string::npos) << not_backup.err;
}

}  // namespace
}  // namespace candor
