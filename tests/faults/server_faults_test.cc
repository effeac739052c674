// Faults of a running `candor serve`, on the backend of the run (support/test_database.h):
// killed with SIGKILL while officers decide, a database that goes away and comes back, a disk
// that fills up, and a damaged SQLite file. Each checks what a user would: every decision the
// server acknowledged is there afterwards, and the public register still verifies against
// what a journalist verified before.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/pg_cluster.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor {
namespace {

using nlohmann::json;
using testing::Running;

const std::string kCandor = CANDOR_BINARY_PATH;

// A demonstration server on `db`, its working folder `cwd` (where --demo keeps the
// register's key, so every restart signs with the same key).
struct Server {
  std::unique_ptr<Running> process;
  int port = 0;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

Server start(const std::string& db, const std::string& cwd,
             const std::vector<std::string>& prefix = {}) {
  std::vector<std::string> args = prefix;
  for (const std::string& arg :
       {kCandor, std::string("serve"), std::string("--demo"), std::string("--db"), db,
        std::string("--listen"), std::string("127.0.0.1:0"), std::string("--log-level"),
        std::string("error")}) {
    args.push_back(arg);
  }
  Server server;
  server.process = std::make_unique<Running>(args, cwd);
  const std::regex listening("http://127.0.0.1:([0-9]+)/");
  for (int i = 0; i < 10 && server.port == 0; ++i) {
    const std::string line = server.process->read_line(60000);
    if (line.empty()) break;
    std::smatch m;
    if (std::regex_search(line, m, listening)) server.port = std::stoi(m[1].str());
  }
  return server;
}

httplib::Client client(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(2, 0);
  c.set_read_timeout(15, 0);
  return c;
}

std::string sign_in(int port, const std::string& who) {
  auto c = client(port);
  auto r =
      c.Post("/api/v1/session",
             json{{"email", who + "@demo.candor.example"}, {"password", "demo-password"}}.dump(),
             "application/json");
  if (!r || r->status != 201) return "";
  return json::parse(r->body)["token"].get<std::string>();
}

int post(int port, const std::string& token, const std::string& path, const json& body,
         json* answer = nullptr) {
  auto c = client(port);
  auto r = c.Post(path, {{"Authorization", "Bearer " + token}}, body.dump(), "application/json");
  if (!r) return 0;
  if (answer != nullptr) *answer = json::parse(r->body, nullptr, false);
  return r->status;
}

// One application from draft to grant through the API, as an exporter and an officer do.
// Returns its reference once the grant is acknowledged (200), nothing if a step failed.
std::optional<std::string> decide(int port, const std::string& exporter, const std::string& officer,
                                  int n) {
  json created;
  const json application = {
      {"licence_type", "individual"},
      {"title", "Network probe " + std::to_string(n)},
      {"end_use", "Network management"},
      {"end_user_type", "telecom_operator"},
      {"items",
       {{{"name", "Probe"},
         {"quantity", 1},
         {"value", "1000.00"},
         {"facts", {{"kind", "hardware"}}}}}},
      {"parties", {{{"role", "end_user"}, {"name", "Fjordnett Telecom AS"}, {"country", "NO"}}}}};
  if (post(port, exporter, "/api/v1/cases", application, &created) != 201) return std::nullopt;
  const std::string reference = created["reference"].get<std::string>();
  const std::string actions = "/api/v1/cases/" + reference + "/actions";
  if (post(port, exporter, actions, {{"action", "submit"}}) != 200) return std::nullopt;
  json reviewed;
  if (post(port, officer, actions, {{"action", "start_review"}}, &reviewed) != 200) {
    return std::nullopt;
  }
  if (post(port, officer, actions, {{"action", "recommend"}, {"reason", "Grant"}}) != 200) {
    return std::nullopt;
  }
  for (const auto& hit : reviewed["case"]["screening_hits"]) {
    if (post(port, officer,
             "/api/v1/cases/" + reference + "/hits/" + std::to_string(hit["id"].get<int>()) +
                 "/clear",
             {{"outcome", "screened"}, {"reason", "Screened by hand"}}) != 200) {
      return std::nullopt;
    }
  }
  if (post(port, officer, actions, {{"action", "grant"}, {"reason", "Low risk"}}) != 200) {
    return std::nullopt;
  }
  return reference;
}

std::string state_of(int port, const std::string& officer, const std::string& reference) {
  auto c = client(port);
  auto r = c.Get("/api/v1/cases/" + reference, {{"Authorization", "Bearer " + officer}});
  if (!r || r->status != 200) return r ? "HTTP " + std::to_string(r->status) : "no answer";
  return json::parse(r->body)["state"].get<std::string>();
}

testing::Finished verify(const Server& server, const std::string& state) {
  return testing::run_to_end(
      {kCandor, "register", "verify", "--url", server.url(), "--state", state, "--full"});
}

// SIGKILL while an exporter and an officer take applications through to grants: after each
// restart every acknowledged grant is there, and the register verifies as a continuation of
// the one verified before the crash.
TEST(ServerFaults, KillNineDuringDecisionsLosesNoAcknowledgedDecision) {
  testing::TempDir dir;
  CANDOR_TEST_DATABASE(db, dir, "candor.db");
  const std::string state = dir.file("register.state");
  std::vector<std::string> acknowledged;
  for (int round = 0; round < 3; ++round) {
    Server server = start(db, dir.path().string());
    ASSERT_NE(server.port, 0) << "the server did not start (round " << round << ")";
    const std::string exporter = sign_in(server.port, "exporter.nordlicht");
    const std::string officer = sign_in(server.port, "officer");
    ASSERT_FALSE(officer.empty());
    // What was acknowledged before the last crash is all there.
    for (const auto& reference : acknowledged) {
      EXPECT_EQ(state_of(server.port, officer, reference), "granted") << reference;
    }
    auto verified = verify(server, state);
    EXPECT_EQ(verified.exit_code, 0) << "round " << round << "\n" << verified.out << verified.err;

    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::atomic<int> done{0};
    std::thread officers([&] {
      for (int n = 0; !stop.load(); ++n) {
        auto reference = decide(server.port, exporter, officer, round * 1000 + n);
        if (!reference) break;  // The server is gone.
        std::lock_guard lock(mutex);
        acknowledged.push_back(*reference);
        ++done;
      }
    });
    // Killed at a different point of a decision each round.
    const int target = 2 + round;
    while (done.load() < target) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(7 * round));
    server.process->send_signal(SIGKILL);
    stop = true;
    officers.join();
    EXPECT_EQ(server.process->wait(10000), -1);
  }
  Server server = start(db, dir.path().string());
  ASSERT_NE(server.port, 0);
  const std::string officer = sign_in(server.port, "officer");
  for (const auto& reference : acknowledged) {
    EXPECT_EQ(state_of(server.port, officer, reference), "granted") << reference;
  }
  auto verified = verify(server, state);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_GE(acknowledged.size(), 9U);
  server.process->send_signal(SIGTERM);
  EXPECT_EQ(server.process->wait(10000), 0);
}

// Two server processes over one database (as behind a load balancer), deciding at the same
// time: every grant either acknowledged is there, and both serve one register that verifies
// as the same log.
TEST(ServerFaults, TwoServersOnOneDatabaseDecideAtOnce) {
  testing::TempDir dir;
  CANDOR_TEST_DATABASE(db, dir, "candor.db");
  Server first = start(db, dir.path().string());  // Seeds the demonstration.
  ASSERT_NE(first.port, 0);
  Server second = start(db, dir.path().string());
  ASSERT_NE(second.port, 0);
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::atomic<int> failures{0};
  std::vector<std::thread> officers;
  for (int t = 0; t < 4; ++t) {
    officers.emplace_back([&, t] {
      const int port = t % 2 == 0 ? first.port : second.port;
      const std::string exporter = sign_in(port, "exporter.nordlicht");
      const std::string officer = sign_in(port, "officer");
      for (int n = 0; n < 4; ++n) {
        auto reference = decide(port, exporter, officer, t * 100 + n);
        if (!reference) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mutex);
        acknowledged.push_back(*reference);
      }
    });
  }
  for (auto& thread : officers) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(acknowledged.size(), 16U);
  std::set<std::string> distinct(acknowledged.begin(), acknowledged.end());
  EXPECT_EQ(distinct.size(), acknowledged.size()) << "two grants got one reference";
  const std::string officer = sign_in(second.port, "officer");
  for (const auto& reference : acknowledged) {
    EXPECT_EQ(state_of(second.port, officer, reference), "granted") << reference;
  }
  const std::string state = dir.file("register.state");
  auto through_first = verify(first, state);
  EXPECT_EQ(through_first.exit_code, 0) << through_first.out << through_first.err;
  auto through_second = verify(second, state);
  EXPECT_EQ(through_second.exit_code, 0) << through_second.out << through_second.err;
  for (Server* server : {&first, &second}) {
    server->process->send_signal(SIGTERM);
    EXPECT_EQ(server->process->wait(10000), 0);
  }
}

// PostgreSQL restarted while the server is under load: requests during the outage fail with
// 503, and afterwards the same server process answers and decides again.
TEST(ServerFaults, CarriesOnWhenPostgresqlRestartsUnderLoad) {
  if (!testing::postgresql_run()) GTEST_SKIP() << "PostgreSQL only";
  std::string why;
  auto cluster = testing::PgCluster::start(why);  // Its own: this test restarts it.
  ASSERT_NE(cluster, nullptr) << why;
  testing::TempDir dir;
  const std::string db = cluster->create_database("restarted");
  Server server = start(db, dir.path().string());
  ASSERT_NE(server.port, 0);
  const std::string exporter = sign_in(server.port, "exporter.nordlicht");
  const std::string officer = sign_in(server.port, "officer");
  ASSERT_TRUE(decide(server.port, exporter, officer, 1).has_value());

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::atomic<int> unavailable{0};
  std::atomic<int> other{0};
  std::mutex seen_mutex;
  std::string seen;  // The first other answer.
  std::vector<std::thread> load;
  for (int t = 0; t < 4; ++t) {
    load.emplace_back([&, t] {
      auto c = client(server.port);
      while (!stop.load()) {
        auto r = t % 2 == 0 ? c.Get("/register?destination=NO")
                            : c.Get("/api/v1/cases", {{"Authorization", "Bearer " + officer}});
        if (r && r->status == 200) {
          ++ok;
        } else if (r && r->status == 503) {
          ++unavailable;
        } else {
          if (++other == 1) {
            std::lock_guard lock(seen_mutex);
            seen = r ? "HTTP " + std::to_string(r->status) + ": " + r->body.substr(0, 300)
                     : "no answer: " + httplib::to_string(r.error());
          }
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(cluster->stop(/*immediate=*/false));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(cluster->restart());
  const int ok_before = ok.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  for (auto& thread : load) thread.join();
  EXPECT_GT(unavailable.load(), 0) << "the outage was not seen";
  EXPECT_GT(ok.load(), ok_before) << "nothing succeeded after the restart";
  EXPECT_EQ(other.load(), 0) << "answers other than 200 and 503, the first: " << seen;
  // The same process decides again, and the register verifies.
  EXPECT_TRUE(decide(server.port, exporter, officer, 2).has_value());
  auto verified = verify(server, dir.file("register.state"));
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  server.process->send_signal(SIGTERM);
  EXPECT_EQ(server.process->wait(10000), 0);
}

// A demonstration database, seeded and closed cleanly (no WAL beside it).
std::string seeded_sqlite(const testing::TempDir& dir) {
  const std::string db = dir.file("seeded.db");
  Server server = start(db, dir.path().string());
  EXPECT_NE(server.port, 0);
  server.process->send_signal(SIGTERM);
  EXPECT_EQ(server.process->wait(20000), 0);
  EXPECT_FALSE(std::filesystem::exists(db + "-wal"));
  return db;
}

// A file cut short or with a page overwritten (a torn write, a bad sector) is reported when
// the server starts, and nothing is served from it.
TEST(ServerFaults, ATornOrTruncatedSqliteFileIsReportedNotServed) {
  if (testing::postgresql_run()) GTEST_SKIP() << "SQLite's file; PostgreSQL checks its own pages";
  testing::TempDir dir;
  const std::string seeded = seeded_sqlite(dir);
  const auto size = std::filesystem::file_size(seeded);
  ASSERT_GT(size, 64U * 1024);
  struct Damage {
    std::string name;
    std::function<void(const std::string&)> apply;
  };
  const std::vector<Damage> damages = {
      {"cut in half", [&](const std::string& f) { std::filesystem::resize_file(f, size / 2); }},
      {"cut inside the last page",
       [&](const std::string& f) { std::filesystem::resize_file(f, size - 1000); }},
      {"a page in the middle overwritten",
       [&](const std::string& f) {
         std::fstream file(f, std::ios::in | std::ios::out | std::ios::binary);
         file.seekp(static_cast<std::streamoff>(size / 2));
         std::string noise(16384, '\0');
         for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>(i * 131 + 7);
         file.write(noise.data(), static_cast<std::streamsize>(noise.size()));
       }},
  };
  for (const auto& damage : damages) {
    const std::string copy = dir.file("damaged.db");
    std::filesystem::copy_file(seeded, copy, std::filesystem::copy_options::overwrite_existing);
    damage.apply(copy);
    Running server(
        {kCandor, "serve", "--db", copy, "--listen", "127.0.0.1:0", "--log-level", "warn"});
    const std::string first = server.read_line(20000);
    int code = server.wait(20000);
    if (code == -2) server.send_signal(SIGKILL);
    EXPECT_EQ(code, 1) << damage.name;
    EXPECT_EQ(first.find("listening"), std::string::npos) << damage.name << ": " << first;
    auto told = testing::run_to_end(
        {kCandor, "serve", "--db", copy, "--listen", "127.0.0.1:1", "--log-level", "warn"});
    EXPECT_NE(told.err.find("damaged"), std::string::npos) << damage.name << ": " << told.err;
    std::filesystem::remove(copy);
    std::filesystem::remove(copy + "-wal");
    std::filesystem::remove(copy + "-shm");
  }
}

// The disk fills up (here: a file size limit, which fails writes as a full disk does): the
// write is refused with a 503 that says so, the server stays up, nothing is half-written,
// and once there is room again everything acknowledged is there and the register verifies.
TEST(ServerFaults, AFullDiskIsAClearErrorAndCorruptsNothing) {
  if (testing::postgresql_run()) {
    GTEST_SKIP() << "PostgreSQL's disk is the database server's; its disk-full error (53100) "
                    "maps to the same 503";
  }
  testing::TempDir dir;
  const std::string db = seeded_sqlite(dir);
  const std::string state = dir.file("register.state");
  // Room for a few decisions' write-ahead log (16 KiB pages), not for a 4 MB document.
  const auto limit = std::filesystem::file_size(db) + 2 * 1024 * 1024;
  std::vector<std::string> acknowledged;
  std::string draft_reference;
  {
    Server server =
        start(db, dir.path().string(), {"/usr/bin/prlimit", "--fsize=" + std::to_string(limit)});
    ASSERT_NE(server.port, 0) << "prlimit or the server did not start";
    const std::string exporter = sign_in(server.port, "exporter.nordlicht");
    const std::string officer = sign_in(server.port, "officer");
    ASSERT_EQ(verify(server, state).exit_code, 0);
    auto first = decide(server.port, exporter, officer, 1);
    ASSERT_TRUE(first.has_value());
    acknowledged.push_back(*first);
    // A 4 MB document for a new application does not fit.
    json draft;
    ASSERT_EQ(
        post(server.port, exporter, "/api/v1/cases", {{"title", "Draft with a document"}}, &draft),
        201)
        << draft.dump();
    draft_reference = draft["reference"].get<std::string>();
    auto c = client(server.port);
    auto upload = c.Post("/api/v1/cases/" + draft_reference +
                             "/documents?kind=end_user_certificate&filename=big.pdf",
                         {{"Authorization", "Bearer " + exporter}},
                         "%PDF-1.4 " + std::string(4 << 20, 'x'), "application/pdf");
    ASSERT_TRUE(upload);
    EXPECT_EQ(upload->status, 503) << upload->body;
    EXPECT_NE(upload->body.find("disk is full"), std::string::npos) << upload->body;
    // The server is still up and still reads.
    auto health = c.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(state_of(server.port, officer, *first), "granted");
    // Until there is room, writes keep failing cleanly rather than half-succeeding.
    for (int n = 2; n < 40; ++n) {
      auto more = decide(server.port, exporter, officer, n);
      if (!more) break;
      acknowledged.push_back(*more);
    }
    server.process->send_signal(SIGTERM);
    EXPECT_EQ(server.process->wait(20000), 0);
  }
  Server server = start(db, dir.path().string());
  ASSERT_NE(server.port, 0) << "the database did not open again";
  const std::string officer = sign_in(server.port, "officer");
  for (const auto& reference : acknowledged) {
    EXPECT_EQ(state_of(server.port, officer, reference), "granted") << reference;
  }
  const std::string exporter = sign_in(server.port, "exporter.nordlicht");
  auto documents =
      client(server.port)
          .Get("/api/v1/cases/" + draft_reference, {{"Authorization", "Bearer " + exporter}});
  ASSERT_TRUE(documents);
  ASSERT_EQ(documents->status, 200) << documents->body;
  EXPECT_EQ(json::parse(documents->body)["documents"].size(), 0U);
  auto verified = verify(server, state);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  server.process->send_signal(SIGTERM);
  EXPECT_EQ(server.process->wait(20000), 0);
}

}  // namespace
}  // namespace candor
