// Any request to any route, through the real handlers, over a demonstration database: JSON
// bodies of every API call, form posts, uploaded documents (raw and multipart), query strings
// and paths. Signed out, as an exporter, officer, adviser or admin, by bearer token or by
// cookie. Whatever arrives, the answer is a page or a 4xx/503 error: never a 500 (an error
// of ours), never a crash.
//
// Input: byte 0 picks GET or POST and the content type, byte 1 the visitor; then the path
// with its query up to the first newline; the rest is the body. For multipart, the body is
// split on NUL into name, filename and content triples.
//
// With the top bit of byte 0 set, the rest is sent as raw bytes to a real server on a
// loopback port instead, so that what cpp-httplib and Candor's connection layer read (request
// lines, headers, ranges, chunked and compressed bodies) is fuzzed too: the answer must not be
// a 500 or larger than a megabyte, and the server must answer /healthz afterwards.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "licensing/demo.h"
#include "risk/snapshot.h"
#include "store/migrations.h"
#include "web/routes.h"
#include "web/server.h"

namespace {

using namespace candor;

struct World {
  std::unique_ptr<store::Database> db;
  SystemClock clock;
  web::ServerOptions options;
  std::unique_ptr<licensing::Checks> checks;
  std::unique_ptr<licensing::Accounts> accounts;
  std::unique_ptr<licensing::Cases> cases;
  std::unique_ptr<reg::Log> log;
  reg::Index index;
  std::unique_ptr<reg::SignerKey> key;
  licensing::ExchangeConfig exchange_config;
  std::unique_ptr<licensing::Exchange> exchange;
  std::unique_ptr<reg::Mirror> mirror;
  std::unique_ptr<web::Context> context;
  std::vector<licensing::Session> sessions;  // exporter, officer, adviser, admin
  std::vector<std::pair<web::Route, std::regex>> routes;
  std::unique_ptr<web::Server> server;  // For raw input, started on first use.
  int port = 0;
};

std::string url_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(text[i + 1]) &&
               std::isxdigit(text[i + 2])) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

World& world() {
  static World* w = [] {
    auto* out = new World();
    // A file database (handlers borrow more than one connection at a time), in shared memory
    // when there is room there: every write is synced.
    struct statvfs shm {};
    const bool roomy = ::statvfs("/dev/shm", &shm) == 0 &&
                       static_cast<std::uint64_t>(shm.f_bavail) * shm.f_frsize > (1ULL << 30);
    std::string pattern =
        roomy ? "/dev/shm/candor-fuzz-XXXXXX"
              : (std::filesystem::temp_directory_path() / "candor-fuzz-XXXXXX").string();
    char* folder = ::mkdtemp(pattern.data());
    if (folder == nullptr) std::abort();
    const std::string path = std::string(folder) + "/candor.db";
    // The database goes when the fuzzer ends, whichever way it exits.
    static std::string made;
    made = folder;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(made, ignored);
    });
    out->db = store::Database::open({.location = path}).value();
    (void)store::migrate(*out->db, out->clock).value();
    out->checks = std::make_unique<licensing::Checks>(catalogue::Catalogue::builtin(), nullptr,
                                                      risk::Snapshot::builtin());
    (void)licensing::seed_demo(*out->db, out->clock, *out->checks).value();
    out->options.password_cost = licensing::PasswordCost::minimal;
    out->accounts = std::make_unique<licensing::Accounts>(*out->db, out->clock,
                                                          licensing::PasswordCost::minimal);
    out->cases = std::make_unique<licensing::Cases>(*out->db, out->clock, *out->checks);
    out->log = std::make_unique<reg::Log>(*out->db, out->clock);
    // The register's endpoints answer only with a key; without one they would all be 503s.
    spdlog::set_level(spdlog::level::off);
    out->key = std::make_unique<reg::SignerKey>(
        reg::SignerKey::generate("fuzz.candor.example/register").value());
    // An exchange with one peer and an aggregator's monitor, so that their routes answer.
    out->exchange_config.member_state = "DE";
    out->exchange_config.name = "Fuzz authority";
    out->exchange_config.key = reg::SignerKey::generate("de.exchange.fuzz").value();
    out->exchange_config.peers = {
        {"FR", "Peer", "http://127.0.0.1:9",
         reg::SignerKey::generate("fr.exchange.fuzz").value().verifier()}};
    out->exchange =
        std::make_unique<licensing::Exchange>(*out->db, out->clock, out->exchange_config);
    out->mirror = std::make_unique<reg::Mirror>(*out->db, out->clock, *out->log);
    (void)out->mirror->add("https://peer.example");
    out->context = std::make_unique<web::Context>(web::Context{
        *out->db, out->clock, out->options, *out->accounts, *out->cases, *out->checks, *out->log,
        out->index, out->key.get(), out->exchange.get(), out->mirror.get(), nullptr});
    for (const char* who : {"exporter.nordlicht", "officer", "adviser", "admin"}) {
      out->sessions.push_back(
          out->accounts
              ->sign_in(std::string(who) + "@demo.candor.example", licensing::kDemoPassword, "fuzz")
              .value());
    }
    for (const auto& route : web::route_table()) {
      out->routes.emplace_back(route, std::regex(std::string(route.pattern)));
    }
    return out;
  }();
  return *w;
}

// Sends `bytes` to the server, then the end of input, and returns what it answered (at most
// a little over `limit` bytes).
std::string exchange_raw(int port, std::string_view bytes, std::size_t limit) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    char buffer[65536];
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) break;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      answer.append(buffer, static_cast<std::size_t>(n));
      if (answer.size() > limit) break;
    }
  }
  ::close(fd);
  return answer;
}

void fuzz_raw(World& w, std::string_view bytes) {
  if (w.server == nullptr) {
    web::ServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.password_cost = licensing::PasswordCost::minimal;
    options.register_key = w.key.get();
    options.requests_per_second = 0;
    options.header_timeout_seconds = 2;
    options.read_timeout_seconds = 2;
    options.idle_timeout_seconds = 1;
    w.server = std::make_unique<web::Server>(*w.db, w.clock, options);
    w.port = w.server->bind().value();
    std::thread([server = w.server.get()] { (void)server->serve(); }).detach();
  }
  constexpr std::size_t kLimit = std::size_t{1} << 20;
  const std::string answer = exchange_raw(w.port, bytes, kLimit);
  if (answer.size() > kLimit) {
    std::fprintf(stderr, "an answer of over %zu bytes to %zu bytes sent\n", kLimit, bytes.size());
    std::abort();
  }
  if (answer.rfind("HTTP/1.1 5", 0) == 0 && answer.rfind("HTTP/1.1 503", 0) != 0) {
    std::fprintf(stderr, "answered: %s\n", answer.substr(0, 400).c_str());
    std::abort();
  }
  const std::string health =
      exchange_raw(w.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", kLimit);
  if (health.rfind("HTTP/1.1 200", 0) != 0) {
    std::fprintf(stderr, "the server no longer answers /healthz: %s\n",
                 health.substr(0, 200).c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  World& w = world();
  const std::uint8_t mode = data[0];
  const std::uint8_t visitor = data[1];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  if ((mode & 0x80) != 0) {
    fuzz_raw(w, rest);
    return 0;
  }
  const std::size_t newline = rest.find('\n');
  const std::string_view target = rest.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? "" : rest.substr(newline + 1);

  httplib::Request request;
  request.method = (mode & 1) != 0 ? "POST" : "GET";
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
      const std::size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const std::size_t eq = pair.find('=');
      request.params.emplace(url_decode(pair.substr(0, eq)),
                             eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1)));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  request.remote_addr = "192.0.2.7";
  const int who = visitor % 9;  // 0: signed out; 1-4 bearer; 5-8 cookie
  if (who >= 1 && who <= 4) {
    request.set_header("Authorization", "Bearer " + w.sessions[who - 1].token);
  } else if (who >= 5) {
    request.set_header("Cookie", "candor_session=" + w.sessions[who - 5].token);
    if ((visitor & 0x80) != 0) request.set_header("X-CSRF-Token", w.sessions[who - 5].csrf_token);
  }
  switch ((mode >> 1) % 4) {
    case 0: request.set_header("Content-Type", "application/json"); break;
    case 1: request.set_header("Content-Type", "application/x-www-form-urlencoded"); break;
    case 2: {
      request.set_header("Content-Type", "multipart/form-data; boundary=x");
      std::vector<std::string> parts;
      std::size_t start = 0;
      while (start <= body.size()) {
        const std::size_t nul = body.find('\0', start);
        parts.emplace_back(body.substr(start, nul == std::string_view::npos ? nul : nul - start));
        if (nul == std::string_view::npos) break;
        start = nul + 1;
      }
      for (std::size_t i = 0; i + 2 < parts.size(); i += 3) {
        request.files.emplace(
            parts[i],
            httplib::MultipartFormData{parts[i], parts[i + 2], parts[i + 1], "application/pdf"});
      }
      break;
    }
    default: request.set_header("Content-Type", "application/pdf"); break;
  }
  request.body = std::string(body);

  for (const auto& [route, pattern] : w.routes) {
    if ((route.method == web::Method::post) != (request.method == "POST")) continue;
    std::smatch match;
    if (!std::regex_match(request.path, match, pattern)) continue;
    request.matches = match;
    httplib::Response response;
    route.handler(request, response, *w.context);
    if (response.status >= 500 && response.status != 503) {
      std::fprintf(stderr, "%s %s answered %d: %s\n", request.method.c_str(), request.path.c_str(),
                   response.status, response.body.substr(0, 400).c_str());
      std::abort();
    }
    break;
  }
  return 0;
}
