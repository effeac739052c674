// Hostile input against a running `candor serve --demo`, sent as an attacker would: raw bytes
// on a socket, from an address of the loopback range chosen per attack so that one attack's
// sign-in limits do not meet another's. After each attack the server must still answer
// /healthz, its peak memory (VmHWM in /proc) must stay under a bound, and the attack must get
// its 4xx. Each test is named for the finding of the security review it guards (issue 18).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "register/merkle.h"
#include "register/note.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "web/routes.h"

namespace candor {
namespace {

using nlohmann::json;
using testing::Running;
using testing::TempDir;

const std::string kCandor = CANDOR_BINARY_PATH;
// Under AddressSanitizer (make test-asan) the server keeps freed memory in quarantine (up to
// 256 MB) and shadow memory beside the rest: the bounds are three times as high there, still
// far below what the attacks took (gigabytes).
#if defined(__SANITIZE_ADDRESS__)
constexpr long kSanitizerFactor = 3;
#else
constexpr long kSanitizerFactor = 1;
#endif
// Peak resident memory the demonstration server may reach over the whole suite. It needs
// about 60 MB, and each password check 64 MB for a moment (four at once at most).
constexpr long kPeakLimitKb = kSanitizerFactor * 700 * 1024;
// An aggregator's, which checks no passwords.
constexpr long kAggregatorPeakLimitKb = kSanitizerFactor * 300 * 1024;

struct Answer {
  int status = 0;  // 0: no answer (the connection closed or timed out first).
  std::string head;
  std::string body;
  bool closed = false;  // The server closed the connection after answering.
};

// One connection from `source` (an address of 127.0.0.0/8) to the server.
class Connection {
 public:
  Connection(int port, const std::string& source) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) == 0;
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return connected_; }

  // Sends all of `bytes`; false when the server stopped taking them.
  bool send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, 5000) <= 0) return false;
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads one answer (headers and a Content-Length body), waiting up to `timeout_ms`.
  Answer read(int timeout_ms = 15000) {
    Answer answer;
    std::string data;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::size_t want = std::string::npos;
    for (;;) {
      const auto end = data.find("\r\n\r\n");
      if (end != std::string::npos && want == std::string::npos) {
        answer.head = data.substr(0, end);
        std::smatch m;
        want = std::regex_search(answer.head, m,
                                 std::regex("Content-Length: ([0-9]+)", std::regex::icase))
                   ? end + 4 + std::stoul(m[1].str())
                   : std::string::npos;
        if (want == std::string::npos) want = SIZE_MAX;  // Read to the end.
      }
      if (want != std::string::npos && want != SIZE_MAX && data.size() >= want) break;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            until - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        answer.closed = true;
        break;
      }
      data.append(buffer, static_cast<std::size_t>(n));
      if (data.size() > 64 * 1024 * 1024) break;  // An amplified answer: stop reading.
    }
    if (answer.head.empty()) {
      const auto end = data.find("\r\n\r\n");
      answer.head = data.substr(0, end);
    }
    std::smatch m;
    if (std::regex_search(answer.head, m, std::regex("^HTTP/1\\.[01] ([0-9]{3})"))) {
      answer.status = std::stoi(m[1].str());
    }
    const auto end = data.find("\r\n\r\n");
    answer.body = end == std::string::npos ? "" : data.substr(end + 4);
    return answer;
  }

  // True when the server closes the connection within `timeout_ms` (after any answer).
  bool closed_within(int timeout_ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            until - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return true;
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

std::string request(const std::string& method, const std::string& path,
                    const std::vector<std::string>& headers, const std::string& body,
                    bool close = true) {
  std::string out = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& h : headers) out += h + "\r\n";
  if (!body.empty() || method == "POST") {
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  if (close) out += "Connection: close\r\n";
  return out + "\r\n" + body;
}

// {"email": [[[...]]], "password": "x"} nested `depth` deep.
std::string deep_json(const std::string& member, std::size_t depth) {
  return "{\"" + member + "\":" + std::string(depth, '[') + std::string(depth, ']') +
         ",\"password\":\"x\"}";
}

long status_kb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

class Attacks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new Running({kCandor, "serve", "--demo", "--db", dir_->file("demo.db"), "--listen",
                           "127.0.0.1:0", "--log-level", "error"},
                          dir_->path().string());
    port_ = testing::announced_port(*server_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override { ASSERT_NE(port_, 0) << "candor serve --demo did not start"; }
  // What every attack must leave: a server that answers, within its memory bound.
  void TearDown() override {
    EXPECT_TRUE(healthy()) << "the server no longer answers /healthz";
    const long peak = status_kb(server_->pid(), "VmHWM");
    EXPECT_GT(peak, 0);
    EXPECT_LT(peak, kPeakLimitKb) << "peak resident memory " << peak / 1024 << " MB";
  }

  static bool healthy(const std::string& source = "127.0.0.1") {
    Connection c(port_, source);
    if (!c.connected() || !c.send(request("GET", "/healthz", {}, ""))) return false;
    return c.read(10000).status == 200;
  }

  static Answer send(const std::string& bytes, const std::string& source = "127.0.0.1") {
    Connection c(port_, source);
    if (!c.connected() || !c.send(bytes)) return {};
    return c.read();
  }

  // An API token for a demonstration account, signed in from `source`.
  static std::string token(const std::string& who, const std::string& source = "127.0.0.1") {
    const auto a = send(
        request(
            "POST", "/api/v1/session", {"Content-Type: application/json"},
            json{{"email", who + "@demo.candor.example"}, {"password", "demo-password"}}.dump()),
        source);
    const auto body = json::parse(a.body, nullptr, false);
    return a.status == 201 ? body["token"].get<std::string>() : "";
  }

  static std::string db_path() { return dir_->file("demo.db"); }

  static TempDir* dir_;
  static Running* server_;
  static int port_;
};

TempDir* Attacks::dir_ = nullptr;
Running* Attacks::server_ = nullptr;
int Attacks::port_ = 0;

// Finding 1: one unauthenticated request nested 150,000 deep killed the process.
TEST_F(Attacks, RegressionDeeplyNestedSignInIsRefusedNotFatal) {
  const auto a = send(request("POST", "/api/v1/session", {"Content-Type: application/json"},
                              deep_json("email", 150'000)));
  EXPECT_EQ(a.status, 400) << a.head;
  EXPECT_NE(a.body.find("nesting"), std::string::npos) << a.body;
}

// Finding 1, the class: every POST route of the route table, signed in as each kind of
// account, gets the deep body. A route added later without being listed here fails the test,
// so that no body reader escapes it.
TEST_F(Attacks, RegressionDeeplyNestedBodiesOnEveryPostRoute) {
  const std::vector<std::string> paths = {
      "/login",
      "/cases",
      "/cases/C-2026-0001/items",
      "/cases/C-2026-0001/items/1/remove",
      "/cases/C-2026-0001/actions",
      "/cases/C-2026-0001/hits/1/clear",
      "/cases/C-2026-0001/advice/1/answer",
      "/exchange/consultations/1/answer",
      "/admin/users",
      "/api/v1/session",
      "/api/v1/users",
      "/api/v1/cases",
      "/api/v1/cases/C-2026-0001/documents",
      "/api/v1/cases/C-2026-0001/items",
      "/api/v1/cases/C-2026-0001/parties",
      "/api/v1/cases/C-2026-0001/actions",
      "/api/v1/cases/C-2026-0001/assign",
      "/api/v1/cases/C-2026-0001/checks",
      "/api/v1/cases/C-2026-0001/hits/1/clear",
      "/api/v1/cases/C-2026-0001/advice",
      "/api/v1/cases/C-2026-0001/evidence",
      "/api/v1/cases/C-2026-0001/denials",
      "/api/v1/advice/1/answer",
      "/api/v1/evidence",
      "/api/v1/exchange/messages",
      "/api/v1/consultations/1/answer",
      // Last: signing out ends the sessions the paths above are tried with.
      "/logout",
      "/api/v1/session/end",
  };
  for (const auto& route : web::route_table()) {
    if (route.method != web::Method::post) continue;
    const std::regex pattern{std::string(route.pattern)};
    const bool listed = std::any_of(paths.begin(), paths.end(), [&](const std::string& path) {
      return std::regex_match(path, pattern);
    });
    EXPECT_TRUE(listed) << "POST " << route.pattern << " is not attacked here: add a path";
  }
  std::vector<std::string> tokens = {""};
  for (const char* who : {"exporter.nordlicht", "officer", "adviser", "admin"}) {
    tokens.push_back(token(who));
    ASSERT_FALSE(tokens.back().empty()) << who;
  }
  // A deep member at the top, where every handler parses, and in the lists the case input
  // walks (a deep "facts" inside an item is tried below).
  const std::vector<std::string> members = {"email", "items", "reason"};
  for (const auto& path : paths) {
    for (const auto& bearer : tokens) {
      for (const auto& member : members) {
        std::vector<std::string> headers = {"Content-Type: application/json"};
        if (!bearer.empty()) headers.push_back("Authorization: Bearer " + bearer);
        const auto a = send(request("POST", path, headers, deep_json(member, 100'000)));
        ASSERT_NE(a.status, 0) << "POST " << path << " with a deep " << member;
        // 503: a part this demonstration does not run (the exchange) says so.
        ASSERT_TRUE(a.status < 500 || a.status == 503)
            << "POST " << path << " with a deep " << member << ": " << a.status << " "
            << a.body.substr(0, 300);
      }
    }
    ASSERT_TRUE(healthy()) << "after POST " << path;
  }
  // The same depth one level inside an array of objects, where the case input reads facts.
  const std::string exporter = token("exporter.nordlicht");  // The paths above signed out.
  const std::string items =
      "{\"title\":\"x\",\"items\":[{\"name\":\"a\",\"facts\":" + std::string(100'000, '[') +
      std::string(100'000, ']') + "}]}";
  const auto a =
      send(request("POST", "/api/v1/cases",
                   {"Content-Type: application/json", "Authorization: Bearer " + exporter}, items));
  EXPECT_EQ(a.status, 400) << a.body.substr(0, 300);
}

// Finding 2: thousands of overlapping ranges were built in memory (409 MB an answer).
TEST_F(Attacks, RegressionManyRangesAreRefused) {
  std::string ranges = "Range: bytes=0-";
  while (ranges.size() < 8000) ranges += ",0-";
  std::vector<std::thread> clients;
  std::atomic<int> refused = 0;
  std::atomic<std::size_t> largest = 0;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      const auto a = send(request("GET", "/assets/candor.css", {ranges}, ""));
      if (a.status == 416) ++refused;
      std::size_t seen = largest.load();
      while (a.body.size() > seen && !largest.compare_exchange_weak(seen, a.body.size())) {
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(refused.load(), 8);
  EXPECT_LT(largest.load(), std::size_t{64 * 1024});
  // One range is still served, as downloads resume with it.
  const auto one = send(request("GET", "/assets/candor.css", {"Range: bytes=0-99"}, ""));
  EXPECT_EQ(one.status, 206);
  EXPECT_EQ(one.body.size(), 100U);
}

// Finding 3: chunked bodies were read whole, past the 6 MB limit (300 MB unauthenticated).
TEST_F(Attacks, RegressionChunkedBodiesAreCappedAsTheyAreRead) {
  Connection c(port_, "127.0.0.3");
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(
      c.send("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk(64 * 1024, 'x');
  std::size_t sent = 0;
  while (sent < std::size_t{300} * 1024 * 1024) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    if (!c.send(size + chunk + "\r\n")) break;
    sent += chunk.size();
  }
  EXPECT_LT(sent, std::size_t{16} * 1024 * 1024) << "the server kept reading";
  const auto a = c.read();
  EXPECT_EQ(a.status, 413) << a.head;
  // A chunked body under the limit is still taken.
  const std::string body = json{{"email", "nobody@example.org"}, {"password", "x"}}.dump();
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", body.size());
  const auto small = send(
      "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
          std::string(size) + body + "\r\n0\r\n\r\n",
      "127.0.0.3");
  EXPECT_EQ(small.status, 401) << small.head;
}

// Finding 3's other half: a body that declares a length over the limit is read and dropped,
// never kept, and the sender gets the 413 rather than a reset connection.
TEST_F(Attacks, RegressionDeclaredTooLargeBodyIsAnsweredWithoutBeingKept) {
  Connection c(port_, "127.0.0.12");
  ASSERT_TRUE(c.connected());
  const std::size_t size = std::size_t{10} * 1024 * 1024;
  ASSERT_TRUE(
      c.send("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
             "application/x-www-form-urlencoded\r\nContent-Length: " +
             std::to_string(size) + "\r\n\r\n"));
  const std::string block(1024 * 1024, 'a');
  for (std::size_t sent = 0; sent < size; sent += block.size()) ASSERT_TRUE(c.send(block));
  const auto a = c.read();
  EXPECT_EQ(a.status, 413) << a.head;
  EXPECT_NE(a.body.find("too large"), std::string::npos);
}

// Findings 2 and 3 for other methods: bodies of methods Candor does not serve are never read.
TEST_F(Attacks, RegressionOtherMethodsAreRefusedBeforeTheirBody) {
  for (const char* method : {"PUT", "PATCH", "DELETE", "PRI"}) {
    Connection c(port_, "127.0.0.1");
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(
        c.send(std::string(method) +
               " /register HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const auto a = c.read();
    EXPECT_EQ(a.status, 405) << method;
    EXPECT_TRUE(c.closed_within(5000)) << method;
  }
}

// Finding 4: simultaneous guesses all got a password check (39 wrong and the right one with
// a limit of 5), and 64 simultaneous sign-ins took 2.8 GB.
TEST_F(Attacks, RegressionSimultaneousGuessesAreAllCounted) {
  std::vector<std::thread> guesses;
  std::atomic<int> checked = 0;  // Answers that come from a password check: 401 or 201.
  std::atomic<int> limited = 0;
  for (int i = 0; i < 40; ++i) {
    guesses.emplace_back([&, i] {
      const std::string password = i == 39 ? "demo-password" : "wrong-" + std::to_string(i);
      const auto a = send(
          request("POST", "/api/v1/session", {"Content-Type: application/json"},
                  json{{"email", "exporter.baltic@demo.candor.example"}, {"password", password}}
                      .dump()),
          "127.0.0.4");
      if (a.status == 401 || a.status == 201) ++checked;
      if (a.status == 429 || a.status == 503) ++limited;
    });
  }
  for (auto& t : guesses) t.join();
  EXPECT_LE(checked.load(), 5);
  EXPECT_EQ(checked.load() + limited.load(), 40);
  // The owner, from their own address, is not locked out by someone else's guesses.
  EXPECT_FALSE(token("exporter.baltic", "127.0.0.5").empty());
}

TEST_F(Attacks, RegressionManySimultaneousSignInsStayWithinMemory) {
  std::vector<std::thread> sign_ins;
  std::atomic<int> answered = 0;
  for (int i = 0; i < 64; ++i) {
    sign_ins.emplace_back([&, i] {
      const std::string source =
          "127.0." + std::to_string(10 + i / 8) + "." + std::to_string(i % 8 + 1);
      const auto a = send(request("POST", "/api/v1/session", {"Content-Type: application/json"},
                                  json{{"email", "someone" + std::to_string(i) + "@example.org"},
                                       {"password", "not-the-password"}}
                                      .dump()),
                          source);
      if (a.status == 401 || a.status == 503) ++answered;
    });
  }
  for (auto& t : sign_ins) t.join();
  EXPECT_EQ(answered.load(), 64);  // Checked, or told to try again: none lost.
}

// Finding 5: a 50 MB "e-mail" was stored in login_attempts and the audit trail.
TEST_F(Attacks, RegressionLongEmailIsRefusedAndNotStored) {
  const std::string email(1024 * 1024, 'a');
  const auto a = send(request("POST", "/api/v1/session", {"Content-Type: application/json"},
                              json{{"email", email + "@example.org"}, {"password", "x"}}.dump()),
                      "127.0.0.6");
  EXPECT_EQ(a.status, 400) << a.body.substr(0, 200);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db,
                         "SELECT (SELECT COUNT(*) FROM login_attempts WHERE length(email) > "
                         "254) + (SELECT COUNT(*) FROM audit_events WHERE length(subject) > 300)",
                         -1, &stmt, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(db);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// Finding 8: five wrong passwords from anywhere locked the account for everyone.
TEST_F(Attacks, RegressionGuessesFromOneAddressDoNotLockTheOwnerOut) {
  for (int i = 0; i < 6; ++i) {
    send(request("POST", "/api/v1/session", {"Content-Type: application/json"},
                 json{{"email", "exporter.lusitania@demo.candor.example"}, {"password", "wrong"}}
                     .dump()),
         "127.0.0.7");
  }
  const auto locked = send(request("POST", "/api/v1/session", {"Content-Type: application/json"},
                                   json{{"email", "exporter.lusitania@demo.candor.example"},
                                        {"password", "demo-password"}}
                                       .dump()),
                           "127.0.0.7");
  EXPECT_EQ(locked.status, 429);
  EXPECT_FALSE(token("exporter.lusitania", "127.0.0.8").empty());
}

// Finding 9: "/\t/evil.example" passed the local-path check and became the redirect.
TEST_F(Attacks, RegressionNextWithControlCharactersIsNotFollowed) {
  for (const char* next : {"/%09/evil.example", "/%0a/evil.example", "//evil.example",
                           "/%5C/evil.example", "/%20/evil.example"}) {
    const auto page = send(request("GET", std::string("/login?next=") + next, {}, ""));
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.body.find("evil.example"), std::string::npos) << next;
  }
}

// Finding 10: 70 slow connections from one address held every worker.
TEST_F(Attacks, RegressionSlowConnectionsFromOneAddressLeaveTheServerAnswering) {
  std::vector<std::unique_ptr<Connection>> slow;
  for (int i = 0; i < 70; ++i) {
    slow.push_back(std::make_unique<Connection>(port_, "127.0.0.9"));
    ASSERT_TRUE(slow.back()->connected());
    slow.back()->send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(healthy("127.0.0.10"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // A client that trickles its headers is cut off at the header deadline (10 s).
  for (int i = 0; i < 12; ++i) {
    for (auto& c : slow) c->send("X-Slow: 1\r\n");
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  int cut = 0;
  for (auto& c : slow) cut += c->closed_within(2000) ? 1 : 0;
  EXPECT_EQ(cut, 70);
}

// Finding 12: two items of EUR 92 quadrillion were published as "under 100k EUR".
TEST_F(Attacks, RegressionHugeValuesAreRefused) {
  const std::string exporter = token("exporter.nordlicht");
  const json application = {
      {"title", "Overflow"},
      {"items",
       {{{"name", "A"}, {"quantity", 1}, {"value", "92233720368547758.07"}},
        {{"name", "B"}, {"quantity", 1}, {"value", "92233720368547758.07"}}}}};
  const auto a = send(request(
      "POST", "/api/v1/cases",
      {"Content-Type: application/json", "Authorization: Bearer " + exporter}, application.dump()));
  EXPECT_EQ(a.status, 400) << a.body.substr(0, 300);
  EXPECT_NE(a.body.find("value"), std::string::npos) << a.body.substr(0, 300);
}

// Finding 13: the database and the demonstration's register key were created 0644.
TEST_F(Attacks, RegressionDatabaseAndKeyAreNotReadableByOthers) {
  for (const auto& name : {"demo.db", "demo.db.register.key"}) {
    const auto perms = std::filesystem::status(dir_->file(name)).permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none)
        << name;
  }
}

// Finding 14: "?done=" text was shown as a green "Success" banner.
TEST_F(Attacks, RegressionDoneTextIsNeverShown) {
  const std::string exporter = token("exporter.nordlicht");
  const auto page = send(request("GET", "/cases?done=Your%20licence%20is%20revoked%2C%20call%20us",
                                 {"Cookie: candor_session=" + exporter}, ""));
  ASSERT_EQ(page.status, 200) << page.head;
  EXPECT_NE(page.body.find("Your applications"), std::string::npos);
  EXPECT_EQ(page.body.find("call us"), std::string::npos);
  // A known code still shows its notice.
  const auto known =
      send(request("GET", "/cases?done=item-added", {"Cookie: candor_session=" + exporter}, ""));
  EXPECT_NE(known.body.find("Item added"), std::string::npos);
}

// Finding 15: the Host header reached feed links; API answers lacked Cache-Control.
TEST_F(Attacks, RegressionHostHeaderIsNotReflectedAndApiIsNotCached) {
  const auto feed = send(
      "GET /register/feed.atom HTTP/1.1\r\nHost: evil.example\r\nConnection: "
      "close\r\n\r\n");
  EXPECT_EQ(feed.status, 200);
  EXPECT_EQ(feed.body.find("evil.example"), std::string::npos);
  const auto me =
      send(request("GET", "/api/v1/me", {"Authorization: Bearer " + token("officer")}, ""));
  EXPECT_EQ(me.status, 200);
  EXPECT_NE(me.head.find("Cache-Control: no-store"), std::string::npos) << me.head;
}

// Finding 16: a form over 8 KB (an end use of 9,000 characters) was refused with 413.
TEST_F(Attacks, RegressionLargeFormsWithinTheFieldLimitsAreTaken) {
  const auto login = send(request("GET", "/login", {}, ""));
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(login.head, m, std::regex("Set-Cookie: (candor_login_csrf=[0-9a-f]+)")))
      << login.head;
  const std::string cookie = m[1].str();
  const std::string csrf = cookie.substr(cookie.find('=') + 1);
  const std::string body = "csrf_token=" + csrf +
                           "&email=exporter.nordlicht%40demo.candor.example&password=demo-password"
                           "&padding=" +
                           std::string(12000, 'a');
  const auto a =
      send(request("POST", "/login",
                   {"Content-Type: application/x-www-form-urlencoded", "Cookie: " + cookie}, body),
           "127.0.0.11");
  EXPECT_EQ(a.status, 303) << a.head << a.body.substr(0, 300);
}

// A register that attacks the aggregator mirroring it: it serves a signed, consistent log
// whose entries or answers are hostile.
class HostileRegister {
 public:
  explicit HostileRegister(std::vector<std::string> entries)
      : key_(reg::SignerKey::generate("hostile.example/register").value()),
        entries_(std::move(entries)) {
    for (const auto& e : entries_) tree_.append_leaf_hash(reg::leaf_hash(e));
    server_.Get("/register/key", [this](const httplib::Request&, httplib::Response& response) {
      if (!huge_key) {
        response.set_content(key_.verifier().to_string() + "\n", "text/plain");
        return;
      }
      // 1.5 GB, made as it is sent.
      response.set_chunked_content_provider(
          "text/plain",
          [sent = std::make_shared<std::size_t>(0)](std::size_t, httplib::DataSink& sink) {
            static const std::string block(1024 * 1024, 'k');
            if (*sent >= std::size_t{1536} * 1024 * 1024) {
              sink.done();
              return true;
            }
            *sent += block.size();
            return sink.write(block.data(), block.size());
          });
    });
    server_.Get(
        "/register/checkpoint", [this](const httplib::Request&, httplib::Response& response) {
          const auto size = static_cast<std::uint64_t>(entries_.size());
          response.set_content(
              reg::sign_note(reg::Checkpoint{key_.name, size, tree_.root(size)}.to_text(), key_)
                  .value(),
              "text/plain");
        });
    server_.Get(
        "/register/entries", [this](const httplib::Request& request, httplib::Response& response) {
          json out = json::array();
          const auto end =
              std::min<std::uint64_t>(std::stoull(request.get_param_value("end")), entries_.size());
          for (auto i = std::stoull(request.get_param_value("start")); i < end; ++i) {
            out.push_back({{"index", i}, {"leaf_input", reg::base64(entries_[i])}});
          }
          response.set_content(json{{"entries", out}}.dump(), "application/json");
        });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HostileRegister() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  bool huge_key = false;

 private:
  reg::SignerKey key_;
  std::vector<std::string> entries_;
  reg::MemoryTree tree_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

std::string plain_entry(int n) {
  return json{{"entry_id", "XX-C-2026-" + std::to_string(1000 + n) + "-1"},
              {"schema", "candor.register.entry/1"},
              {"authority", {{"member_state", "XX"}, {"name", "Hostile authority"}}},
              {"decision", "granted"},
              {"decision_date", "2026-10-01"},
              {"destination", "AE"},
              {"control_entries", {"4D004"}},
              {"item_category", "intrusion_software"}}
      .dump();
}

// An aggregator mirroring `url`, on a database in `dir`.
struct Aggregator {
  std::unique_ptr<Running> process;
  int port = 0;

  Aggregator(const TempDir& dir, const std::string& url) {
    process = std::make_unique<Running>(
        std::vector<std::string>{kCandor, "serve", "--db", dir.file("eu.db"), "--aggregate", url,
                                 "--aggregate-interval", "1", "--listen", "127.0.0.1:0",
                                 "--log-level", "error"},
        dir.path().string());
    port = testing::announced_port(*process);
  }

  Answer get(const std::string& path) const {
    Connection c(port, "127.0.0.1");
    if (!c.connected() || !c.send(request("GET", path, {}, ""))) return {};
    return c.read();
  }

  // The authorities page's JSON once `done` holds of it, or the last one after 30 s.
  json authorities_when(const std::function<bool(const json&)>& done) const {
    json last;
    for (int i = 0; i < 60; ++i) {
      last = json::parse(get("/register/authorities.json").body, nullptr, false);
      if (!last.is_discarded() && done(last)) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return last;
  }
};

bool mentions(const json& value, const std::string& text) {
  return value.dump().find(text) != std::string::npos;
}

// Finding 6: an entry nested deeper than the search index reads broke the aggregator for good
// (500 on /register even after a restart; GET /register/entries crashed).
TEST(AggregatorAttacks, RegressionUnreadableMirroredEntryIsFlaggedNotAppended) {
  const std::string deep = "{\"entry_id\":\"XX-DEEP-1\",\"deep\":" + std::string(100'000, '[') +
                           std::string(100'000, ']') + "}";
  HostileRegister hostile({plain_entry(1), deep, plain_entry(2)});
  TempDir dir;
  for (int run = 0; run < 2; ++run) {  // The second run is the restart.
    Aggregator aggregator(dir, hostile.url());
    ASSERT_NE(aggregator.port, 0);
    const json page =
        aggregator.authorities_when([](const json& p) { return mentions(p, "unreadable_entry"); });
    EXPECT_TRUE(mentions(page, "unreadable_entry")) << page.dump().substr(0, 2000);
    for (const char* path : {"/healthz", "/register", "/register/statistics", "/register/feed.atom",
                             "/register/entries?start=0&end=10", "/register/search.json"}) {
      const auto a = aggregator.get(path);
      EXPECT_EQ(a.status, 200) << path << " (run " << run << "): " << a.body.substr(0, 300);
    }
    const auto entries =
        json::parse(aggregator.get("/register/entries?start=0&end=10").body, nullptr, false);
    EXPECT_FALSE(mentions(entries, "XX-DEEP-1")) << "the unreadable entry was appended";
    EXPECT_LT(status_kb(aggregator.process->pid(), "VmHWM"), kAggregatorPeakLimitKb);
  }
}

// Finding 7: a register answering 1.5 GB for its key took the aggregator to 3.1 GB.
TEST(AggregatorAttacks, RegressionHugeAnswerIsRefusedAndShownAsAProblem) {
  HostileRegister hostile({plain_entry(1)});
  hostile.huge_key = true;
  TempDir dir;
  Aggregator aggregator(dir, hostile.url());
  ASSERT_NE(aggregator.port, 0);
  const json page =
      aggregator.authorities_when([](const json& p) { return mentions(p, "more than"); });
  EXPECT_TRUE(mentions(page, "more than")) << page.dump().substr(0, 2000);
  EXPECT_EQ(aggregator.get("/healthz").status, 200);
  const long peak = status_kb(aggregator.process->pid(), "VmHWM");
  EXPECT_LT(peak, 300 * 1024) << "peak resident memory " << peak / 1024 << " MB";
}

}  // namespace
}  // namespace candor
