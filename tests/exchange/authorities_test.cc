// Several authorities, each its own `candor serve` on a loopback port and its own database
// (either backend), working as one regime (issue 9): a denial notified to all, a consultation
// before a grant, a grant anyway notified to all with its reasons; a peer down while notified
// that receives everything once it is back, with the sender restarted in between; and an
// aggregator that mirrors their registers and catches one that rewrote its log.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "register/log.h"
#include "register/note.h"
#include "register/publish.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor {
namespace {

using nlohmann::json;
using testing::Running;

const std::string kCandor = CANDOR_BINARY_PATH;
const std::vector<std::string> kCodes = {"DE", "FR", "NL"};

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

bool eventually(const std::function<bool()>& condition, int seconds = 30) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return condition();
}

httplib::Client client(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(2, 0);
  c.set_read_timeout(15, 0);
  return c;
}

struct Answer {
  int status = 0;
  json body;
};

Answer call(int port, const std::string& method, const std::string& path,
            const std::string& token = "", const json& body = nullptr) {
  auto c = client(port);
  httplib::Headers headers;
  if (!token.empty()) headers = {{"Authorization", "Bearer " + token}};
  auto r = method == "GET" ? c.Get(path, headers)
                           : c.Post(path, headers, body.dump(), "application/json");
  if (!r) return {};
  return {r->status, json::parse(r->body, nullptr, false)};
}

// One authority: its folder (keys, exchange file), database, port and process.
struct Authority {
  std::string code;
  std::filesystem::path dir;
  std::string db;
  int port = 0;
  reg::SignerKey register_key;
  std::unique_ptr<Running> process;
  std::string exporter, officer;  // Bearer tokens.

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }

  bool start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {kCandor,
                                     "serve",
                                     "--demo",
                                     "--db",
                                     db,
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port),
                                     "--register-key",
                                     (dir / "register.key").string(),
                                     "--exchange",
                                     (dir / "exchange.json").string(),
                                     "--exchange-max-retry",
                                     "1",
                                     "--log-level",
                                     "error"};
    args.insert(args.end(), extra.begin(), extra.end());
    process = std::make_unique<Running>(args, dir.string());
    for (int i = 0; i < 10; ++i) {
      const std::string line = process->read_line(60000);
      if (line.empty()) return false;
      if (line.find("is listening") != std::string::npos) break;
    }
    exporter = sign_in("exporter.nordlicht");
    officer = sign_in("officer");
    return !exporter.empty() && !officer.empty();
  }

  void stop() {
    if (!process) return;
    process->send_signal(SIGTERM);
    EXPECT_EQ(process->wait(15000), 0) << code << " did not stop cleanly";
    process.reset();
  }

  std::string sign_in(const std::string& who) {
    auto a = call(port, "POST", "/api/v1/session", "",
                  {{"email", who + "@demo.candor.example"}, {"password", "demo-password"}});
    return a.status == 201 ? a.body["token"].get<std::string>() : "";
  }

  json exchange() { return call(port, "GET", "/api/v1/exchange", officer).body; }

  // An application for remote-access software to a police end user in the UAE, taken to the
  // point of decision (screening cleared by hand: the demonstration has no lists).
  std::string recommended(const std::string& end_user, const std::string& entry) {
    const json application = {
        {"licence_type", "individual"},
        {"title", "Remote access suite"},
        {"end_use", "Lawful interception for criminal investigations"},
        {"end_user_type", "police"},
        {"items",
         {{{"name", "RCS suite"},
           {"declared_entry", entry},
           {"quantity", 1},
           {"value", "900000.00"},
           {"facts", {{"kind", "software"}}}}}},
        {"parties", {{{"role", "end_user"}, {"name", end_user}, {"country", "AE"}}}}};
    auto created = call(port, "POST", "/api/v1/cases", exporter, application);
    EXPECT_EQ(created.status, 201) << created.body.dump();
    const std::string reference = created.body.value("reference", "");
    const std::string actions = "/api/v1/cases/" + reference + "/actions";
    EXPECT_EQ(call(port, "POST", actions, exporter, {{"action", "submit"}}).status, 200);
    auto reviewed = call(port, "POST", actions, officer, {{"action", "start_review"}});
    EXPECT_EQ(reviewed.status, 200);
    EXPECT_EQ(call(port, "POST", actions, officer, {{"action", "recommend"}, {"reason", "Decide"}})
                  .status,
              200);
    for (const auto& hit : reviewed.body["case"]["screening_hits"]) {
      EXPECT_EQ(call(port, "POST",
                     "/api/v1/cases/" + reference + "/hits/" +
                         std::to_string(hit["id"].get<std::int64_t>()) + "/clear",
                     officer, {{"outcome", "screened"}, {"reason", "Checked by hand"}})
                    .status,
                200);
    }
    return reference;
  }

  Answer act(const std::string& reference, const json& body) {
    return call(port, "POST", "/api/v1/cases/" + reference + "/actions", officer, body);
  }
};

class Authorities : public ::testing::Test {
 protected:
  void SetUp() override {
    std::map<std::string, reg::SignerKey> exchange_keys;
    for (const auto& code : kCodes) {
      auto& a = authorities_[code];
      a.code = code;
      a.dir = dir_.path() / code;
      std::filesystem::create_directories(a.dir);
      CANDOR_ASSIGN_TEST_DATABASE(a.db, dir_, code + ".db");
      a.port = free_port();
      a.register_key = reg::SignerKey::generate(code + ".register.test").value();
      write_file(a.dir / "register.key", a.register_key.to_string() + "\n");
      exchange_keys[code] = reg::SignerKey::generate(code + ".exchange.test").value();
      write_file(a.dir / "exchange.key", exchange_keys[code].to_string() + "\n");
    }
    for (const auto& code : kCodes) {
      json peers = json::array();
      for (const auto& other : kCodes) {
        if (other == code) continue;
        peers.push_back({{"member_state", other},
                         {"name", other + " licensing authority"},
                         {"url", authorities_[other].url()},
                         {"key", exchange_keys[other].verifier().to_string()}});
      }
      write_file(authorities_[code].dir / "exchange.json",
                 json{{"member_state", code},
                      {"name", code + " licensing authority"},
                      {"key_file", "exchange.key"},
                      {"peers", peers}}
                     .dump(2));
    }
  }

  void TearDown() override {
    for (auto& [code, a] : authorities_) a.stop();
  }

  candor::testing::TempDir dir_;
  std::map<std::string, Authority> authorities_;
};

bool has_denial(Authority& a, const std::string& reference) {
  for (const auto& d : a.exchange().value("denials", json::array())) {
    if (d.value("reference", "") == reference) return true;
  }
  return false;
}

TEST_F(Authorities, DenialConsultationGrantAnywayNoticeToAll) {
  for (auto& [code, a] : authorities_) ASSERT_TRUE(a.start()) << code << " did not start";
  auto& de = authorities_["DE"];
  auto& fr = authorities_["FR"];
  auto& nl = authorities_["NL"];

  const auto refused = de.recommended("Abu Dhabi Police General Headquarters", "4D004");
  ASSERT_EQ(de.act(refused, {{"action", "refuse"},
                             {"reason", "Clear risk of internal repression"},
                             {"criteria", {"criterion_2"}}})
                .status,
            200);
  const std::string denial = "DE-" + refused;
  EXPECT_TRUE(eventually([&] { return has_denial(fr, denial) && has_denial(nl, denial); }))
      << "the denial did not reach FR and NL";

  // FR: the same transaction in other words (systems of the same capability; the name
  // reordered) is held, and DE is consulted.
  const auto application = fr.recommended("General Headquarters of Abu Dhabi Police", "4A005");
  auto held = fr.act(application, {{"action", "grant"}});
  EXPECT_EQ(held.status, 412) << held.body.dump();
  EXPECT_NE(held.body.dump().find(denial), std::string::npos);
  EXPECT_TRUE(eventually([&] {
    for (const auto& k : de.exchange().value("consultations", json::array())) {
      if (k.value("direction", "") == "incoming" && k.value("peer", "") == "FR") return true;
    }
    return false;
  })) << "DE was not consulted";

  // Granted anyway, with reasons: DE and NL are told, with the reasons.
  const std::string reasons = "Warrant-only deployment and end-use monitoring agreed";
  EXPECT_EQ(call(fr.port, "POST", "/api/v1/cases/" + application + "/denials", fr.officer,
                 {{"reason", reasons}})
                .status,
            200);
  ASSERT_EQ(fr.act(application, {{"action", "grant"}}).status, 200);
  for (auto* a : {&de, &nl}) {
    EXPECT_TRUE(eventually([&] {
      for (const auto& n : a->exchange().value("grant_notices", json::array())) {
        if (n.value("reference", "") == application && n.value("authority", "") == "FR" &&
            n.value("reasons", "").find(reasons) != std::string::npos) {
          return true;
        }
      }
      return false;
    })) << a->code
        << " was not told of the grant";
  }
}

TEST_F(Authorities, APeerDownWhileNotifiedReceivesItLaterEvenAcrossARestart) {
  auto& de = authorities_["DE"];
  auto& fr = authorities_["FR"];
  auto& nl = authorities_["NL"];
  ASSERT_TRUE(de.start());
  ASSERT_TRUE(fr.start());
  // NL is down.
  const auto refused = de.recommended("Abu Dhabi Police General Headquarters", "4D004");
  ASSERT_EQ(de.act(refused, {{"action", "refuse"},
                             {"reason", "Clear risk of internal repression"},
                             {"criteria", {"criterion_2"}}})
                .status,
            200);
  const std::string denial = "DE-" + refused;
  EXPECT_TRUE(eventually([&] { return has_denial(fr, denial); }));
  EXPECT_TRUE(eventually([&] {
    const json peers = de.exchange()["peers"];
    for (const auto& p : peers) {
      if (p["member_state"] == "NL") {
        return p.value("waiting", 0) == 1 && p.value("attempts", 0) >= 2 &&
               !p.value("last_error", "").empty();
      }
    }
    return false;
  })) << "DE should be retrying NL: "
      << de.exchange()["peers"].dump();
  // DE restarts while NL is still down; the message survives in its database.
  de.stop();
  ASSERT_TRUE(de.start());
  ASSERT_TRUE(nl.start());
  EXPECT_TRUE(eventually([&] { return has_denial(nl, denial); })) << "NL never received the denial";
  EXPECT_TRUE(eventually([&] {
    const json peers = de.exchange()["peers"];
    for (const auto& p : peers) {
      if (p.value("waiting", 1) != 0) return false;
    }
    return true;
  }));
}

// The aggregator over DE and FR; DE then rewrites its log (one refusal taken out, another
// entry added) and is served again with the same key.
TEST_F(Authorities, AnAggregatorCatchesARewrittenRegisterAndShowsTheProof) {
  auto& de = authorities_["DE"];
  auto& fr = authorities_["FR"];
  ASSERT_TRUE(de.start());
  ASSERT_TRUE(fr.start());
  std::string aggregate_db;
  CANDOR_ASSIGN_TEST_DATABASE(aggregate_db, dir_, "aggregate.db");
  const auto aggregate_dir = dir_.path() / "aggregate";
  std::filesystem::create_directories(aggregate_dir);
  const int aggregate_port = free_port();
  Running aggregator({kCandor, "serve", "--db", aggregate_db, "--listen",
                      "127.0.0.1:" + std::to_string(aggregate_port), "--aggregate", de.url(),
                      "--aggregate", fr.url(), "--aggregate-interval", "1", "--log-level", "error"},
                     aggregate_dir.string());
  ASSERT_NE(aggregator.read_line(60000).find("is listening"), std::string::npos);
  const auto registers = [&] {
    return call(aggregate_port, "GET", "/register/authorities.json")
        .body.value("registers", json::array());
  };
  const auto register_of = [&](const std::string& member_state) {
    for (const auto& r : registers()) {
      if (r.value("member_state", "") == member_state) return r;
    }
    return json::object();
  };
  // Everything both registers signed is mirrored, and served as one register.
  std::uint64_t de_size = 0;
  EXPECT_TRUE(eventually([&] {
    const auto r = register_of("DE");
    de_size = r.value("verified_size", std::uint64_t{0});
    return de_size > 0 && r.value("mirrored", std::uint64_t{0}) == de_size &&
           register_of("FR").value("mirrored", 0) > 0;
  })) << registers().dump();
  auto search = call(aggregate_port, "GET", "/register/search.json?authority=FR").body;
  EXPECT_FALSE(search["entries"].empty());
  auto report = client(aggregate_port).Get("/register/report.csv");
  ASSERT_TRUE(report);
  EXPECT_NE(report->body.find(",DE,"), std::string::npos);
  EXPECT_NE(report->body.find(",FR,"), std::string::npos);

  // DE rewrites its log: the same key, its first refusal gone, a new entry after.
  de.stop();
  std::string rewritten_db;
  CANDOR_ASSIGN_TEST_DATABASE(rewritten_db, dir_, "DE-rewritten.db");
  {
    candor::testing::FixedClock clock;
    auto original = store::Database::open({.location = de.db}).value();
    reg::Log old_log(*original, clock);
    const auto old_entries = old_log.entries(0, de_size, de_size).value();
    auto rewritten = store::Database::open({.location = rewritten_db}).value();
    ASSERT_TRUE(store::migrate(*rewritten, clock).ok());
    reg::Log log(*rewritten, clock);
    std::vector<reg::NewEntry> entries;
    bool dropped = false;
    for (const auto& e : old_entries) {
      const auto parsed = json::parse(e.leaf_input);
      if (!dropped && parsed.value("decision", "") == "refused") {
        dropped = true;
        continue;
      }
      entries.push_back(reg::columns_of(parsed, e.leaf_input));
    }
    ASSERT_TRUE(dropped);
    json extra = json::parse(old_entries.back().leaf_input);
    extra["entry_id"] = "DE-REWRITTEN-1";
    extra["decision"] = "granted";
    entries.push_back(reg::columns_of(extra, extra.dump()));
    ASSERT_TRUE(log.append(entries).ok());
    ASSERT_TRUE(log.sign_checkpoint(de.register_key, de.register_key.name).ok());
  }
  {
    // Served again at the same address with the same key (no demonstration: just the log).
    Running rewritten(
        {kCandor, "serve", "--db", rewritten_db, "--listen", "127.0.0.1:" + std::to_string(de.port),
         "--register-key", (de.dir / "register.key").string(), "--log-level", "error"},
        de.dir.string());
    ASSERT_NE(rewritten.read_line(60000).find("is listening"), std::string::npos);
    EXPECT_TRUE(eventually([&] { return register_of("DE").value("flagged", false); }))
        << registers().dump();
    rewritten.send_signal(SIGTERM);
    EXPECT_EQ(rewritten.wait(15000), 0);
  }
  const auto flagged = register_of("DE");
  ASSERT_EQ(flagged["flags"].size(), 1u);
  const auto& flag = flagged["flags"][0];
  EXPECT_EQ(flag["kind"], "rewritten") << flag.dump();
  // The proof: two checkpoints of the same size, both signed by DE's key, with different
  // roots; no append-only log can have signed both.
  const auto verifier = de.register_key.verifier();
  const auto earlier = reg::open_note(flag["earlier_checkpoint"].get<std::string>(), verifier);
  const auto later = reg::open_note(flag["later_checkpoint"].get<std::string>(), verifier);
  ASSERT_TRUE(earlier.ok());
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(reg::Checkpoint::parse(*earlier)->size, de_size);
  EXPECT_EQ(reg::Checkpoint::parse(*later)->size, de_size);
  EXPECT_NE(reg::Checkpoint::parse(*later)->root, reg::Checkpoint::parse(*earlier)->root);
  // Nothing of the rewritten log was mirrored; FR is unaffected.
  EXPECT_EQ(flagged["mirrored"].get<std::uint64_t>(), de_size);
  EXPECT_FALSE(register_of("FR").value("flagged", true));
  auto rewritten_entry = client(aggregate_port).Get("/register/decisions/DE-REWRITTEN-1");
  ASSERT_TRUE(rewritten_entry);
  EXPECT_EQ(rewritten_entry->status, 404);
  // Shown publicly on the page.
  auto page = client(aggregate_port).Get("/register/authorities");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("contradicted what they showed before"), std::string::npos);
  EXPECT_NE(page->body.find("Inconsistent: not mirrored"), std::string::npos);
  aggregator.send_signal(SIGTERM);
  EXPECT_EQ(aggregator.wait(15000), 0);
}

}  // namespace
}  // namespace candor
