// Any request to any route, through the real handlers, over a demonstration database: JSON
// bodies of every API call, form posts, uploaded documents (raw and multipart), query strings
// and paths. Signed out, as an exporter, officer, adviser or admin, by bearer token or by
// cookie. Whatever arrives, the answer is a page or a 4xx/503 error: never a 500 (an error
// of ours), never a crash.
//
// Input: byte 0 picks GET or POST and the content type, byte 1 the visitor; then the path
// with its query up to the first newline; the rest is the body. For multipart, the body is
// split on NUL into name, filename and content triples.
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "licensing/demo.h"
#include "risk/snapshot.h"
#include "store/migrations.h"
#include "web/routes.h"

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  World& w = world();
  const std::uint8_t mode = data[0];
  const std::uint8_t visitor = data[1];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
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
