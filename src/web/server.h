// The HTTP server: binds, serves the route table (routes.cc) until stopped, and applies the
// limits and headers every response needs. TLS is the reverse proxy's job (docs/deploy.md).
//
// Thread-safety: stop() may be called from any thread, including before serve().
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/timestamp.h"
#include "licensing/accounts.h"
#include "licensing/cases.h"
#include "licensing/checks.h"
#include "licensing/exchange.h"
#include "register/index.h"
#include "register/log.h"
#include "register/mirror.h"
#include "register/note.h"
#include "store/database.h"
#include "web/listen_address.h"
#include "web/rate_limit.h"

namespace httplib {
class Server;
}

namespace candor::web {

enum class DemoMode { off, on };

struct ServerOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  DemoMode demo = DemoMode::off;
  // Documents may be 5 MB; the multipart envelope and the form's other fields fit in the rest.
  std::size_t max_body_bytes = std::size_t{6} * 1024 * 1024;
  // Worker threads. Each keep-alive connection holds one while it is open, so there must be
  // more than the clients expected at once (a search crawler or a load test keeps dozens).
  int threads = 64;
  int read_timeout_seconds = 10;
  // A request's line and headers must all arrive within this time (a client that trickles
  // them holds a worker); the read timeout above is per read.
  int header_timeout_seconds = 10;
  // Connections one client address may hold open at once (trusted proxies are not limited);
  // 0 for no limit. Below the worker count, so that one address cannot hold them all.
  int connections_per_address = 32;
  int write_timeout_seconds = 10;
  // How long a kept-alive connection may sit idle before it is closed.
  int idle_timeout_seconds = 5;
  // Requests a second per client address, in bursts of up to four times that; 0 for no
  // limit. The machine itself (a load test, a proxy not named below) is not limited.
  double requests_per_second = 50;
  // Peers whose X-Forwarded-For names the client: a reverse proxy in front of candor. Then
  // the request and sign-in limits count the client, not the proxy.
  std::vector<std::string> trusted_proxies;
  // The address the public reaches this server at, for links in feeds and pages; empty: the
  // listening address. Never the request's Host header, which anyone can set.
  std::string public_url;
  licensing::LoginLimits login_limits;
  // Adds Secure to cookies on every response (set when TLS ends at a proxy in front).
  bool secure_cookies = false;
  licensing::PasswordCost password_cost = licensing::PasswordCost::interactive;
  // The checks run on submitted cases. Null: the built-in control list and risk data, and no
  // sanctions lists (screening then says so and waits for an officer).
  const licensing::Checks* checks = nullptr;
  // The key that signs the register's checkpoints; without one the register endpoints answer
  // 503.
  const reg::SignerKey* register_key = nullptr;
  // This authority's place among its peers (docs/exchange.md); without it, no message is
  // sent or taken and POST /api/v1/exchange/messages answers 503.
  const licensing::ExchangeConfig* exchange = nullptr;
  licensing::DeliveryPolicy delivery;
  // How messages reach peers; null for HTTP(S).
  licensing::Transport* transport = nullptr;
  // Aggregator: the public registers of other authorities to mirror into this one's log,
  // checked as a monitor checks them, and how often to look at each.
  std::vector<std::string> aggregate;
  int aggregate_interval_seconds = 60;
};

// What handlers may use. REQUIRES: everything referenced outlives the Server.
struct Context {
  store::Database& db;
  const Clock& clock;
  const ServerOptions& options;
  licensing::Accounts& accounts;
  licensing::Cases& cases;
  const licensing::Checks& checks;
  reg::Log& log;
  reg::Index& register_index;
  const reg::SignerKey* register_key;
  licensing::Exchange* exchange;  // Null without an exchange configuration.
  reg::Mirror* mirror;            // Null unless aggregating other registers.
  // Wakes the courier after a change that may have queued messages.
  std::function<void()> nudge_courier;
};

class Server {
 public:
  Server(store::Database& db, const Clock& clock, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket and returns the port (the chosen one when asked for port 0).
  // Errors: unavailable when the address cannot be bound.
  Result<int> bind();
  // Serves until stop(). REQUIRES: bind() succeeded.
  Result<void> serve();
  void stop();

 private:
  void install_routes();
  // Sends the outbox's due messages until stop(), sleeping until the next is due or a nudge.
  void run_courier();
  // Mirrors the aggregated registers until stop().
  void run_monitor();

  ServerOptions options_;
  std::unique_ptr<licensing::Checks> own_checks_;
  const licensing::Checks& checks_;
  licensing::Accounts accounts_;
  licensing::Cases cases_;
  reg::Log log_;
  reg::Index register_index_;
  Context context_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<RateLimiter> limiter_;  // Null when there is no limit.
  std::atomic<bool> stopping_{false};
  std::atomic<bool> serving_{false};
  std::thread warm_;  // Reads the register's search index when serving starts.
  std::unique_ptr<licensing::Exchange> exchange_;
  std::unique_ptr<licensing::Transport> own_transport_;
  std::thread courier_;
  std::unique_ptr<reg::Mirror> mirror_;
  std::thread monitor_;
  std::mutex courier_mutex_;
  std::condition_variable courier_wake_;
  bool courier_nudged_ = false;
};

}  // namespace candor::web
