// Black-box tests of `candor admin` and of `candor serve --demo --list`.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "support/process.h"
#include "support/temp_dir.h"

namespace candor {
namespace {

using testing::run_to_end;
using testing::Running;

const std::string kCandor = CANDOR_BINARY_PATH;

testing::Finished candor(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), kCandor);
  return run_to_end(args, ".", input);
}

TEST(AdminCli, CreateUserReadsThePasswordFromStandardInput) {
  testing::TempDir dir;
  const std::string db = dir.file("candor.db");
  auto made = candor({"admin", "create-user", "--db", db, "--email", "o@authority.example",
                      "--name", "Olga", "--role", "officer", "--password-stdin"},
                     "a-long-password\n");
  EXPECT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.out.find("Created officer account o@authority.example"), std::string::npos);
  auto exporter = candor(
      {"admin", "create-user", "--db", db, "--email", "e@acme.example", "--name", "Erin", "--role",
       "exporter", "--organisation", "Acme", "--country", "DE", "--password-stdin"},
      "another-password\n");
  EXPECT_EQ(exporter.exit_code, 0) << exporter.err;
  EXPECT_NE(exporter.out.find("in Acme"), std::string::npos);

  auto again = candor({"admin", "create-user", "--db", db, "--email", "o@authority.example",
                       "--name", "Olga", "--role", "officer", "--password-stdin"},
                      "a-long-password\n");
  EXPECT_EQ(again.exit_code, 2) << "a taken address is bad input";
  EXPECT_NE(again.err.find("exists"), std::string::npos);
  auto short_password = candor({"admin", "create-user", "--db", db, "--email", "x@a.example",
                                "--name", "X", "--role", "adviser", "--password-stdin"},
                               "short\n");
  EXPECT_EQ(short_password.exit_code, 2);
  EXPECT_NE(short_password.err.find("password"), std::string::npos);
  auto bad_role = candor({"admin", "create-user", "--db", db, "--email", "x@a.example", "--name",
                          "X", "--role", "king", "--password-stdin"},
                         "long-enough-password\n");
  EXPECT_EQ(bad_role.exit_code, 2);
  auto no_tty = candor({"admin", "create-user", "--db", db, "--email", "x@a.example", "--name", "X",
                        "--role", "adviser"});
  EXPECT_EQ(no_tty.exit_code, 2) << "no terminal and no --password-stdin";

  auto csv = candor({"admin", "audit-export", "--db", db});
  EXPECT_EQ(csv.exit_code, 0);
  EXPECT_TRUE(csv.out.starts_with("id,occurred_at,actor,action,subject,detail\n"));
  EXPECT_NE(csv.out.find("user.create"), std::string::npos);
  auto to_file = candor({"admin", "audit-export", "--db", db, "--out", dir.file("audit.csv")});
  EXPECT_EQ(to_file.exit_code, 0);
  std::ifstream in(dir.file("audit.csv"));
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "id,occurred_at,actor,action,subject,detail");
}

TEST(AdminCli, ServeDemoSeedsOncePrintsLoginsAndScreensAgainstTheLists) {
  testing::TempDir dir;
  {
    std::ofstream list(dir.file("list.csv"));
    list << "id,name,type,country\nL-1,Connect Telecom General Trading LLC,organization,AE\n";
  }
  const std::string db = dir.file("candor.db");
  for (int round = 0; round < 2; ++round) {
    Running server({kCandor, "serve", "--demo", "--db", db, "--listen", "127.0.0.1:0", "--list",
                    dir.file("list.csv"), "--log-level", "warn"});
    std::string first = server.read_line(60000);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(first, m, std::regex(":([0-9]+)/"))) << first;
    EXPECT_EQ(server.read_line(5000), "Demonstration logins (password: demo-password):");
    std::string logins;
    for (int i = 0; i < 7; ++i) logins += server.read_line(5000) + "\n";
    EXPECT_NE(logins.find("officer@demo.candor.example"), std::string::npos);
    EXPECT_NE(logins.find("adviser@demo.candor.example"), std::string::npos);

    httplib::Client client("127.0.0.1", std::stoi(m[1].str()));
    auto session = client.Post(
        "/api/v1/session", R"({"email":"officer@demo.candor.example","password":"demo-password"})",
        "application/json");
    ASSERT_TRUE(session);
    const auto token = nlohmann::json::parse(session->body)["token"].get<std::string>();
    auto list = client.Get("/api/v1/cases", {{"Authorization", "Bearer " + token}});
    const auto cases = nlohmann::json::parse(list->body)["cases"];
    EXPECT_EQ(cases.size(), 14U) << "fifteen cases, the draft not with the authority";
    std::set<std::string> states;
    int open_hits = 0;
    for (const auto& c : cases) {
      states.insert(c["state"].get<std::string>());
      open_hits += c["open_hits"].get<int>();
    }
    EXPECT_EQ(states.size(), 14U) << "one case in every state after draft";
    EXPECT_EQ(open_hits, 1) << "the UAE consignee is on the list given";
    server.send_signal(SIGTERM);
    EXPECT_EQ(server.wait(10000), 0);
  }
}

TEST(AdminCli, KeygenWritesAPrivateKeyOnceAndServeSignsWithIt) {
  testing::TempDir dir;
  const std::string key = dir.file("register.key");
  auto made = candor({"admin", "keygen", "--name", "register.test/candor", "--out", key});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(made.out.starts_with("register.test/candor+")) << made.out;
  EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto again = candor({"admin", "keygen", "--name", "register.test/candor", "--out", key});
  EXPECT_EQ(again.exit_code, 2) << "an existing key is never replaced";
  EXPECT_EQ(candor({"admin", "keygen", "--name", "bad name", "--out", dir.file("k2")}).exit_code,
            2);

  Running server({kCandor, "serve", "--db", dir.file("candor.db"), "--listen", "127.0.0.1:0",
                  "--register-key", key, "--log-level", "warn"});
  std::smatch m;
  const std::string first = server.read_line(30000);
  ASSERT_TRUE(std::regex_search(first, m, std::regex(":([0-9]+)/"))) << first;
  httplib::Client client("127.0.0.1", std::stoi(m[1].str()));
  EXPECT_EQ(client.Get("/register/key")->body, made.out);
  auto checkpoint = client.Get("/register/checkpoint");
  EXPECT_EQ(checkpoint->status, 200);
  EXPECT_TRUE(checkpoint->body.starts_with("register.test/candor\n0\n")) << checkpoint->body;
  server.send_signal(SIGTERM);
  EXPECT_EQ(server.wait(10000), 0);

  std::ofstream(dir.file("bad.key")) << "not a key\n";
  auto bad =
      candor({"serve", "--db", dir.file("candor.db"), "--register-key", dir.file("bad.key")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.key"), std::string::npos);
}

TEST(AdminCli, ServeRefusesAListItCannotRead) {
  testing::TempDir dir;
  {
    std::ofstream list(dir.file("broken.csv"));
    list << "id,title\n1,2\n";
  }
  auto result = candor({"serve", "--db", dir.file("candor.db"), "--list", dir.file("broken.csv")});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("broken.csv"), std::string::npos) << result.err;
  auto missing = candor({"serve", "--db", dir.file("candor.db"), "--list", dir.file("none.csv")});
  EXPECT_EQ(missing.exit_code, 2);
}

}  // namespace
}  // namespace candor
