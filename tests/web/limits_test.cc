// The HTTP limits a server on the open internet needs: requests per client, sign-in
// failures per client behind a proxy, oversized headers and addresses, and connections that
// send nothing or dawdle.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "web/casework_fixture.h"
#include "web/rate_limit.h"

namespace candor::web {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

TEST(RateLimiter, AllowsABurstThenRefillsAtTheRate) {
  RateLimiter limiter(2.0, 8.0);
  const auto start = RateLimiter::Clock::now();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(limiter.take("a", start), 0) << i;
  EXPECT_EQ(limiter.take("a", start), 1);
  EXPECT_EQ(limiter.take("b", start), 0) << "another client has its own bucket";
  EXPECT_EQ(limiter.take("a", start + milliseconds(499)), 1);
  EXPECT_EQ(limiter.take("a", start + milliseconds(600)), 0);
  // Slow refill: one token per ten seconds says wait ten seconds.
  RateLimiter slow(0.1, 1.0);
  EXPECT_EQ(slow.take("c", start), 0);
  EXPECT_EQ(slow.take("c", start), 10);
}

class LimitsTest : public testing::CaseworkTest {
 protected:
  void configure(ServerOptions& options) override {
    options.requests_per_second = 0.5;  // Bursts of 2; a token every 2 s.
    options.trusted_proxies = {"127.0.0.1"};
    options.read_timeout_seconds = 1;
    options.idle_timeout_seconds = 1;
  }
  httplib::Result from(const std::string& client, const std::string& path) {
    auto c = client_for();
    return c.Get(path, {{"X-Forwarded-For", "198.51.100.99, " + client}});
  }
  httplib::Client client_for() {
    httplib::Client c("127.0.0.1", port_);
    c.set_follow_location(false);
    return c;
  }
  // A raw connection to the server.
  int connect_raw() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    timeval wait{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    return fd;
  }
};

TEST_F(LimitsTest, AClientPastItsRateGets429AndOthersCarryOn) {
  int refused = 0;
  std::string retry_after;
  for (int i = 0; i < 10; ++i) {
    auto r = from("203.0.113.5", "/register");
    ASSERT_TRUE(r);
    if (r->status == 429) {
      ++refused;
      retry_after = r->get_header_value("Retry-After");
      EXPECT_NE(r->body.find("Too many requests"), std::string::npos);
    } else {
      EXPECT_EQ(r->status, 200);
    }
  }
  EXPECT_GE(refused, 7);  // A burst of 2, and at most one more token while the loop runs.
  EXPECT_EQ(retry_after, "2");
  EXPECT_EQ(from("203.0.113.6", "/register")->status, 200) << "another client";
  // The address before the proxy's own entry is the client's to write, so it is not used.
  EXPECT_EQ(from("203.0.113.5", "/register")->status, 429);
  // The machine itself is not limited.
  auto c = client_for();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(c.Get("/healthz")->status, 200);
  // After a pause the client may come back.
  std::this_thread::sleep_for(milliseconds(2100));
  EXPECT_EQ(from("203.0.113.5", "/register")->status, 200);
}

// Behind a proxy, without a request limit (so that only the sign-in limit speaks).
class ProxiedTest : public LimitsTest {
 protected:
  void configure(ServerOptions& options) override {
    LimitsTest::configure(options);
    options.requests_per_second = 0;
  }
};

TEST_F(ProxiedTest, SignInFailuresCountPerClientBehindAProxy) {
  // Failures for many addresses from one client lock that client, not the proxy.
  auto c = client_for();
  int status = 0;
  int tries = 0;
  for (; tries < 30 && status != 429; ++tries) {
    auto r = c.Post("/api/v1/session", {{"X-Forwarded-For", "203.0.113.7"}},
                    json{{"email", "nobody" + std::to_string(tries) + "@x.example"},
                         {"password", "wrong-password"}}
                        .dump(),
                    "application/json");
    status = r->status;
  }
  EXPECT_EQ(status, 429);
  EXPECT_EQ(tries, 21) << "the 21st failure from one client is refused";
  auto other =
      c.Post("/api/v1/session", {{"X-Forwarded-For", "203.0.113.8"}},
             json{{"email", "officer@authority.example"}, {"password", "officer-password"}}.dump(),
             "application/json");
  EXPECT_EQ(other->status, 201) << other->body;
}

TEST_F(LimitsTest, OversizedHeadersAndAddressesAreRefused) {
  auto c = client_for();
  auto long_header = c.Get("/healthz", {{"X-Padding", std::string(10000, 'a')}});
  ASSERT_TRUE(long_header);
  EXPECT_GE(long_header->status, 400);
  EXPECT_LT(long_header->status, 500);
  auto long_address = c.Get("/register?q=" + std::string(9000, 'a'));
  ASSERT_TRUE(long_address);
  EXPECT_EQ(long_address->status, 414);
  EXPECT_EQ(c.Get("/healthz")->status, 200) << "the server is unharmed";
}

TEST_F(LimitsTest, SilentAndDawdlingConnectionsAreClosed) {
  // Connects and says nothing: closed once idle.
  const int silent = connect_raw();
  // Starts a request and stops half-way: closed once the read times out.
  const int dawdling = connect_raw();
  const std::string start = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  ASSERT_EQ(::send(dawdling, start.data(), start.size(), 0), static_cast<ssize_t>(start.size()));
  const auto began = std::chrono::steady_clock::now();
  char buffer[512];
  EXPECT_LE(::recv(silent, buffer, sizeof buffer, 0), 0) << "the silent connection got data";
  const ssize_t got = ::recv(dawdling, buffer, sizeof buffer, 0);
  const auto waited = std::chrono::steady_clock::now() - began;
  // Closed (0), or answered with an error and closed; never left open for the 5 s timeout.
  if (got > 0) {
    EXPECT_EQ(std::string(buffer, 9), "HTTP/1.1 ") << std::string(buffer, got);
  }
  EXPECT_LT(waited, std::chrono::seconds(5));
  ::close(silent);
  ::close(dawdling);
  auto c = client_for();
  EXPECT_EQ(c.Get("/healthz")->status, 200);
}

}  // namespace
}  // namespace candor::web
