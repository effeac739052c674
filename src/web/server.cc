#include "web/server.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "web/auth.h"
#include "web/connection.h"
#include "web/peer_client.h"
#include "web/respond.h"
#include "web/routes.h"

namespace candor::web {
namespace {

// Sent with every response. Pages use no inline script or style, so the policy can be strict.
httplib::Headers security_headers() {
  return {
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
  };
}

// SO_REUSEADDR only: restarting right after a stop must work, but cpp-httplib's default also
// sets SO_REUSEPORT, which would let a second candor silently share the port with the first.
void reuse_address_only(socket_t socket) {
  int yes = 1;
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

ConnectionLimits connection_limits(const ServerOptions& options) {
  ConnectionLimits limits;
  limits.header_seconds = options.header_timeout_seconds;
  // The body counted as it is read (below) meets its limit first; these only stop what no
  // body reader sees (chunk framing, a multipart parser's buffer, a body nobody reads).
  limits.body_bytes = options.max_body_bytes + std::size_t{1024} * 1024;
  limits.declared_body_bytes = std::max(limits.body_bytes, std::size_t{64} * 1024 * 1024);
  limits.per_address = options.connections_per_address;
  limits.unlimited_addresses = options.trusted_proxies;
  limits.read_timeout_seconds = options.read_timeout_seconds;
  limits.write_timeout_seconds = options.write_timeout_seconds;
  limits.idle_timeout_seconds = options.idle_timeout_seconds;
  return limits;
}

Error too_large_error(std::size_t limit) {
  return Error(ErrorKind::resource_exhausted,
               "The request is too large: at most " +
                   std::to_string(limit / (std::size_t{1024} * 1024)) + " MB may be sent at once.");
}

// Reads a request's body through `reader`, counting what it reads, into `request` as
// cpp-httplib would (body, or files for a multipart form). cpp-httplib's own reading caps
// bodies with a Content-Length only, and url-encoded forms at 8 KB; this caps every body,
// chunked or compressed, at `limit` bytes and stops reading at the first byte past it.
Result<void> read_body(const httplib::ContentReader& reader, httplib::Request& request,
                       std::size_t limit) {
  constexpr std::size_t kMaxParts = 64;
  std::size_t total = 0;
  bool too_large = false;
  bool too_many = false;
  const auto count = [&](std::size_t n) {
    total += n;
    if (total > limit) too_large = true;
    return !too_large;
  };
  bool complete = false;
  if (request.is_multipart_form_data()) {
    auto current = request.files.end();
    complete = reader(
        [&](const httplib::MultipartFormData& part) {
          if (request.files.size() >= kMaxParts) {
            too_many = true;
            return false;
          }
          if (!count(part.name.size() + part.filename.size() + part.content_type.size())) {
            return false;
          }
          current = request.files.emplace(part.name, part);
          return true;
        },
        [&](const char* data, std::size_t n) {
          if (!count(n) || current == request.files.end()) return false;
          current->second.content.append(data, n);
          return true;
        });
  } else {
    complete = reader([&](const char* data, std::size_t n) {
      if (!count(n)) return false;
      request.body.append(data, n);
      return true;
    });
  }
  if (too_large) return too_large_error(limit);
  if (too_many) {
    return Error::invalid_argument("The form has too many parts: at most " +
                                   std::to_string(kMaxParts) + ".");
  }
  if (!complete) return Error::invalid_argument("The request body could not be read.");
  return {};
}

}  // namespace

namespace {

std::unique_ptr<licensing::Checks> default_checks(const ServerOptions& options) {
  if (options.checks != nullptr) return nullptr;
  return std::make_unique<licensing::Checks>(catalogue::Catalogue::builtin(), nullptr,
                                             risk::Snapshot::builtin());
}

}  // namespace

Server::Server(store::Database& db, const Clock& clock, ServerOptions options)
    : options_(std::move(options)),
      own_checks_(default_checks(options_)),
      checks_(options_.checks != nullptr ? *options_.checks : *own_checks_),
      accounts_(db, clock, options_.password_cost, options_.login_limits),
      cases_(db, clock, checks_, options_.exchange),
      log_(db, clock),
      context_{db,
               clock,
               options_,
               accounts_,
               cases_,
               checks_,
               log_,
               register_index_,
               options_.register_key,
               nullptr,
               nullptr,
               [this] {
                 {
                   const std::lock_guard lock(courier_mutex_);
                   courier_nudged_ = true;
                 }
                 courier_wake_.notify_all();
               }},
      http_(std::make_unique<GuardedServer>(connection_limits(options_))) {
  if (options_.exchange != nullptr) {
    exchange_ =
        std::make_unique<licensing::Exchange>(db, clock, *options_.exchange, options_.delivery);
    context_.exchange = exchange_.get();
    if (options_.transport == nullptr) own_transport_ = std::make_unique<HttpTransport>();
  }
  if (!options_.aggregate.empty()) {
    mirror_ = std::make_unique<reg::Mirror>(db, clock, log_);
    context_.mirror = mirror_.get();
  }
  http_->set_socket_options(reuse_address_only);
  http_->set_default_headers(security_headers());
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_read_timeout(options_.read_timeout_seconds, 0);
  http_->set_write_timeout(options_.write_timeout_seconds, 0);
  // Small answers on kept-alive connections must not wait for the peer's delayed ACK (40 ms).
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(100);
  http_->set_keep_alive_timeout(options_.idle_timeout_seconds);
  if (options_.requests_per_second > 0) {
    limiter_ = std::make_unique<RateLimiter>(options_.requests_per_second,
                                             4 * options_.requests_per_second);
  }
  http_->set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        GuardedServer::headers_done(request.has_header("Content-Length") &&
                                    !request.has_header("Transfer-Encoding"));
        // Only these are served. Others are refused before their body is read, and the
        // connection closed, since the body left unread cannot be told from a request.
        if (request.method != "GET" && request.method != "HEAD" && request.method != "POST") {
          GuardedServer::close_after_answer();
          response.set_header("Allow", "GET, HEAD, POST");
          respond_error(request, response, context_,
                        Error::invalid_argument("This method is not allowed here."));
          response.status = 405;
          return httplib::Server::HandlerResponse::Handled;
        }
        // cpp-httplib builds every range asked for in memory, overlapping or not: one
        // request for thousands of ranges of a page would be hundreds of megabytes.
        if (request.ranges.size() > 1) {
          // cpp-httplib would apply the ranges to this answer too; the request is its own,
          // handed here as const.
          const_cast<httplib::Request&>(request).ranges.clear();
          if (request.method == "POST") GuardedServer::close_after_answer();
          respond_error(request, response, context_,
                        Error::invalid_argument("Only one byte range may be asked for at once."));
          response.status = 416;
          return httplib::Server::HandlerResponse::Handled;
        }
        if (limiter_ == nullptr) return httplib::Server::HandlerResponse::Unhandled;
        const std::string client = client_of(request, context_);
        if (is_loopback(client)) return httplib::Server::HandlerResponse::Unhandled;
        const int wait = limiter_->take(client, RateLimiter::Clock::now());
        if (wait == 0) return httplib::Server::HandlerResponse::Unhandled;
        response.set_header("Retry-After", std::to_string(wait));
        if (request.method == "POST") GuardedServer::close_after_answer();
        respond_error(request, response, context_,
                      Error(ErrorKind::resource_exhausted,
                            "Too many requests from your address. Wait " + std::to_string(wait) +
                                (wait == 1 ? " second" : " seconds") + " and try again."));
        return httplib::Server::HandlerResponse::Handled;
      });
  // What the API answers is one caller's: no browser or proxy cache may keep it.
  http_->set_post_routing_handler([](const httplib::Request& request, httplib::Response& response) {
    if (request.path.rfind("/api/", 0) == 0 && !response.has_header("Cache-Control")) {
      response.set_header("Cache-Control", "no-store");
    }
  });
  http_->new_task_queue = [threads = options_.threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  http_->set_logger([](const httplib::Request& request, const httplib::Response& response) {
    spdlog::info("{} {} {}", request.method, request.path, response.status);
  });
  http_->set_exception_handler(
      [this](const httplib::Request& request, httplib::Response& response, std::exception_ptr e) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(std::move(e));
        } catch (const std::exception& ex) {
          what = ex.what();
        } catch (...) {
        }
        respond_error(request, response, context_, Error::internal(what));
      });
  http_->set_error_handler([this](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;  // A handler already explained the error.
    const int status = response.status;
    if (status == 404) {
      respond_error(request, response, context_,
                    Error::not_found("There is no page at this address."));
    } else if (status == 413) {
      respond_error(request, response, context_,
                    Error(ErrorKind::resource_exhausted, "The request body is too large."));
      response.status = 413;
    } else if (status >= 400 && status < 500) {
      respond_error(request, response, context_, Error::invalid_argument("Bad request."));
      response.status = status;
    }
  });
  install_routes();
}

Server::~Server() {
  if (warm_.joinable()) warm_.join();
  stopping_.store(true);
  courier_wake_.notify_all();
  if (courier_.joinable()) courier_.join();
  if (monitor_.joinable()) monitor_.join();
}

void Server::run_monitor() {
  for (const auto& url : options_.aggregate) {
    if (auto added = mirror_->add(url); !added.ok()) {
      spdlog::warn("aggregate {}: {}", url, added.error().to_string());
    }
  }
  while (!stopping_.load()) {
    bool grew = false;
    for (const auto& url : options_.aggregate) {
      if (stopping_.load()) break;
      auto remote = HttpRemote::connect(url);
      if (!remote.ok()) {
        spdlog::warn("aggregate {}: {}", url, remote.error().to_string());
        continue;
      }
      auto round = mirror_->sync(url, **remote);
      if (!round.ok()) {
        spdlog::warn("aggregate {}: {}", url, round.error().to_string());
      } else if (round->flagged && !round->problem.empty()) {
        spdlog::error("aggregate {}: FLAGGED: {}", url, round->problem);
      } else if (!round->problem.empty()) {
        spdlog::warn("aggregate {}: {}", url, round->problem);
      } else if (round->appended > 0) {
        spdlog::info("aggregate {}: {} entries verified and mirrored ({} of {})", url,
                     round->appended, round->mirrored, round->verified_size);
        grew = true;
      }
      if (round.ok() && round->mirrored < round->verified_size && round->problem.empty()) {
        grew = true;  // More to fetch: look again without waiting.
      }
    }
    if (grew && options_.register_key != nullptr) {
      (void)log_.sign_checkpoint(*options_.register_key, options_.register_key->name);
    }
    std::unique_lock lock(courier_mutex_);
    courier_wake_.wait_for(
        lock,
        grew ? std::chrono::milliseconds(0)
             : std::chrono::milliseconds(options_.aggregate_interval_seconds * 1000),
        [this] { return stopping_.load(); });
  }
}

void Server::run_courier() {
  licensing::Transport& transport =
      options_.transport != nullptr ? *options_.transport : *own_transport_;
  // Polled as well as nudged: another process on the same database may queue messages.
  constexpr auto kPoll = std::chrono::milliseconds(500);
  while (!stopping_.load()) {
    auto wait = std::chrono::milliseconds(kPoll);
    auto round = exchange_->deliver_due(transport);
    if (!round.ok()) {
      spdlog::warn("exchange: {}", round.error().to_string());
    } else {
      if (round->delivered + round->failed > 0) {
        spdlog::info("exchange: {} message(s) delivered, {} to retry", round->delivered,
                     round->failed);
      }
      if (round->next_due_us) {
        const auto until = *round->next_due_us - context_.clock.now().unix_micros();
        wait =
            std::clamp(std::chrono::milliseconds(until / 1000), std::chrono::milliseconds(0), wait);
      }
    }
    std::unique_lock lock(courier_mutex_);
    courier_wake_.wait_for(lock, wait, [this] { return courier_nudged_ || stopping_.load(); });
    courier_nudged_ = false;
  }
}

void Server::install_routes() {
  for (const Route& route : route_table()) {
    const std::string pattern(route.pattern);
    switch (route.method) {
      case Method::get:
        http_->Get(pattern, [this, fn = route.handler](const httplib::Request& request,
                                                       httplib::Response& response) {
          fn(request, response, context_);
        });
        break;
      case Method::post:
        http_->Post(pattern, [this, fn = route.handler](const httplib::Request& request,
                                                        httplib::Response& response,
                                                        const httplib::ContentReader& reader) {
          // cpp-httplib hands content-reader handlers its own, non-const, request.
          auto& mutable_request = const_cast<httplib::Request&>(request);
          if (auto read = read_body(reader, mutable_request, options_.max_body_bytes); !read.ok()) {
            // A declared length over the limit: cpp-httplib read and dropped the body itself
            // and said 413, so the connection can carry on.
            const bool declared_too_large = response.status == 413;
            Error error =
                declared_too_large ? too_large_error(options_.max_body_bytes) : read.error();
            if (!declared_too_large) GuardedServer::close_after_answer();
            respond_error(request, response, context_, error);
            if (error.kind() == ErrorKind::resource_exhausted) response.status = 413;
            return;
          }
          fn(request, response, context_);
        });
        break;
    }
  }
}

Result<int> Server::bind() {
  const auto& listen = options_.listen;
  const int port = listen.port == 0
                       ? http_->bind_to_any_port(listen.host)
                       : (http_->bind_to_port(listen.host, listen.port) ? listen.port : -1);
  if (port < 0) {
    return Error::unavailable("cannot listen on " + listen.host + ":" +
                              std::to_string(listen.port) +
                              " (in use, or not an address of this machine?)");
  }
  options_.listen.port = port;  // The links the server writes name the port it has.
  return port;
}

Result<void> Server::serve() {
  // stop() sets stopping_ before it reads serving_, and serve() the reverse, so a stop that
  // races with the start is seen by one side or the other and never lost.
  serving_.store(true);
  if (stopping_.load()) {
    serving_.store(false);
    return {};
  }
  // The register's search index reads the whole log once (seconds at a million entries):
  // begun now, so that the first visitor to search does not wait for all of it.
  if (!warm_.joinable()) {
    warm_ = std::thread([this] {
      const auto start = std::chrono::steady_clock::now();
      auto lease = context_.db.acquire();
      auto size =
          lease.ok() ? register_index_.refresh(**lease) : Result<std::uint64_t>(lease.error());
      if (!size.ok()) {
        spdlog::warn("register search index: {}", size.error().to_string());
        return;
      }
      spdlog::info("register search index: {} entries read in {:.1f} s", *size,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    });
  }
  if (exchange_ != nullptr && !courier_.joinable()) {
    if (auto identity = exchange_->record_identity(); !identity.ok()) {
      spdlog::warn("exchange: {}", identity.error().to_string());
    }
    courier_ = std::thread([this] { run_courier(); });
  }
  if (mirror_ != nullptr && !monitor_.joinable()) {
    monitor_ = std::thread([this] { run_monitor(); });
  }
  const bool clean = http_->listen_after_bind();
  serving_.store(false);
  if (!clean && !stopping_.load()) return Error::unavailable("the server stopped unexpectedly");
  return {};
}

void Server::stop() {
  stopping_.store(true);
  courier_wake_.notify_all();
  // cpp-httplib ignores stop() until its accept loop runs, so wait for it to start.
  while (serving_.load() && !http_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  http_->stop();
}

}  // namespace candor::web
