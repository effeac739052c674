// Black-box tests of the `candor` binary: what a user types, what they see, the exit code.
#include <gtest/gtest.h>
#include <httplib.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/version.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace candor {
namespace {

using testing::Finished;
using testing::run_to_end;
using testing::Running;

const std::string kCandor = CANDOR_BINARY_PATH;

Finished candor(std::vector<std::string> args, const std::string& cwd = ".") {
  args.insert(args.begin(), kCandor);
  return run_to_end(args, cwd);
}

int count_lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Cli, HelpListsTheCommands) {
  auto result = candor({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* command : {"version", "init", "serve"}) {
    EXPECT_NE(result.out.find(command), std::string::npos) << command;
  }
}

TEST(Cli, VersionPrintsTheVersion) {
  auto result = candor({"version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, std::string("candor ") + kVersion + "\n");
  EXPECT_EQ(candor({"--version"}).exit_code, 0);
}

// Rule: unknown flags and bad values give one line naming the problem, and exit code 2.
TEST(Cli, BadArgumentsGiveOneLineAndExitTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {"--no-such-flag"},
      {"serve", "--no-such-flag"},
      {"serve", "--listen", "nonsense"},
      {"serve", "--listen", "127.0.0.1:99999"},
      {"serve", "--log-level", "loud"},
      {"frobnicate"},
      {},
  };
  for (const auto& args : cases) {
    auto result = candor(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(result.exit_code, 2) << joined;
    EXPECT_EQ(count_lines(result.err), 1) << joined << "\n" << result.err;
    EXPECT_TRUE(result.err.starts_with("candor: error: ")) << result.err;
  }
  auto listen = candor({"serve", "--listen", "127.0.0.1:99999"});
  EXPECT_NE(listen.err.find("--listen"), std::string::npos) << listen.err;
  EXPECT_NE(listen.err.find("0 to 65535"), std::string::npos) << listen.err;
}

TEST(Cli, InitCreatesAndMigratesTheDatabase) {
  testing::TempDir dir;
  auto first = candor({"init", "--db", dir.file("candor.db")});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("migrated from schema version 0 to"), std::string::npos) << first.out;
  auto second = candor({"init", "--db", dir.file("candor.db")});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("is up to date"), std::string::npos) << second.out;
  // `candor migrate` is the same, by the name an operator upgrading looks for.
  auto fresh = candor({"migrate", "--db", dir.file("other.db")});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_NE(fresh.out.find("migrated from schema version 0 to"), std::string::npos) << fresh.out;
  auto again = candor({"migrate", "--db", dir.file("other.db")});
  EXPECT_NE(again.out.find("is up to date"), std::string::npos) << again.out;
}

TEST(Cli, InitUsesCandorDbInTheWorkingDirectoryByDefault) {
  testing::TempDir dir;
  auto result = candor({"init"}, dir.path().string());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "candor.db"));
}

// Rule: a database that cannot be opened gives a clear error, exit 1, and nothing made by halves.
TEST(Cli, UnopenableDatabaseExitsOneAndCreatesNothing) {
  testing::TempDir dir;
  auto missing_folder = candor({"init", "--db", dir.file("missing/candor.db")});
  EXPECT_EQ(missing_folder.exit_code, 1);
  EXPECT_NE(missing_folder.err.find("cannot open the database"), std::string::npos)
      << missing_folder.err;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));

  const std::string notes = dir.file("notes.txt");
  const std::string content = "not a database, and it must stay as it is\n";
  { std::ofstream(notes) << content; }
  auto not_db = candor({"serve", "--db", notes, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(not_db.exit_code, 1);
  EXPECT_NE(not_db.err.find("not a database"), std::string::npos) << not_db.err;
  std::ifstream in(notes);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), content);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

// The whole life of the service: init, serve on a free port, GET /healthz, SIGTERM, exit 0.
TEST(Cli, ServeAnswersHealthzAndShutsDownCleanlyOnSignals) {
  for (const int signal : {SIGTERM, SIGINT}) {
    testing::TempDir dir;
    ASSERT_EQ(candor({"init", "--db", dir.file("candor.db")}).exit_code, 0);
    Running server(
        {kCandor, "serve", "--db", dir.file("candor.db"), "--listen", "127.0.0.1:0", "--demo"});
    const std::string line = server.read_line(10000);
    std::smatch match;
    ASSERT_TRUE(std::regex_search(line, match, std::regex(R"(http://127\.0\.0\.1:(\d+)/)")))
        << "first line of output: '" << line << "'";
    const int port = std::stoi(match[1]);
    EXPECT_NE(line.find("demonstration"), std::string::npos) << line;

    httplib::Client client("127.0.0.1", port);
    auto health = client.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    auto body = nlohmann::json::parse(health->body);
    EXPECT_EQ(body["version"], kVersion);
    EXPECT_EQ(body["backend"], "sqlite");
    EXPECT_GE(body["schema_version"].get<int>(), 2);
    auto home = client.Get("/");
    ASSERT_TRUE(home);
    EXPECT_EQ(home->status, 200);

    server.send_signal(signal);
    EXPECT_EQ(server.wait(10000), 0) << "signal " << signal;
  }
}

TEST(Cli, ServeOnATakenPortExitsOne) {
  testing::TempDir dir;
  Running first({kCandor, "serve", "--db", dir.file("a.db"), "--listen", "127.0.0.1:0"});
  std::smatch match;
  const std::string line = first.read_line(10000);
  ASSERT_TRUE(std::regex_search(line, match, std::regex(R"(:(\d+)/)"))) << line;
  auto second =
      candor({"serve", "--db", dir.file("b.db"), "--listen", "127.0.0.1:" + match[1].str()});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen"), std::string::npos) << second.err;
  first.send_signal(SIGTERM);
  EXPECT_EQ(first.wait(10000), 0);
}

TEST(Cli, EnvironmentSuppliesTheDatabasePath) {
  testing::TempDir dir;
  const std::string path = dir.file("from-env.db");
  setenv("CANDOR_DB", path.c_str(), 1);
  auto result = candor({"init"});
  unsetenv("CANDOR_DB");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace candor
