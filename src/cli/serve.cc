#include <malloc.h>

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>

#include "catalogue/catalogue.h"
#include "cli/cli.h"
#include "cli/database_setup.h"
#include "cli/lists.h"
#include "core/files.h"
#include "licensing/demo.h"
#include "register/note.h"
#include "risk/snapshot.h"

namespace candor::cli {
namespace {

// SIGINT and SIGTERM are blocked in every thread and taken by one waiting thread, which stops
// the server; a signal handler could not safely call into the server.
class ShutdownSignals {
 public:
  static constexpr int kWakeSignal = SIGUSR1;  // Ends the waiter when the server stopped itself.

  ShutdownSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, kWakeSignal);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;
  ~ShutdownSignals() {
    if (waiter_.joinable()) {
      pthread_kill(waiter_.native_handle(), kWakeSignal);  // Wakes the waiter if no signal came.
      waiter_.join();
    }
  }

  void on_signal(web::Server& server) {
    waiter_ = std::thread([this, &server] {
      int signal = 0;
      sigwait(&set_, &signal);
      if (signal == kWakeSignal) return;
      spdlog::info("received signal {}, shutting down", signal);
      server.stop();
    });
  }

 private:
  sigset_t set_{};
  std::thread waiter_;
};

// The key that signs the register: --register-key, or for a demonstration or an aggregator
// one kept beside the database (made on first start). None otherwise.
Result<std::optional<reg::SignerKey>> register_key_for(const ServeOptions& options) {
  const bool aggregating = !options.aggregate.empty();
  std::string key_path = options.register_key;
  if (key_path.empty() && (options.demo == web::DemoMode::on || aggregating)) {
    // Beside a database file; for a database server, in the working folder.
    key_path = options.db_path.find("://") == std::string::npos
                   ? options.db_path + ".register.key"
                   : std::string("candor-demo.register.key");
    std::error_code ec;
    if (!std::filesystem::exists(key_path, ec)) {
      auto made = CANDOR_TRY(reg::SignerKey::generate(
          aggregating ? "aggregate.candor.example/register" : "demo.candor.example/register"));
      // 0600 from its first byte: the key signs the register.
      if (auto written = write_private_file(key_path, made.to_string() + "\n"); !written.ok()) {
        return Error::unavailable(
            "cannot write the demonstration's register key: " + written.error().message(),
            key_path);
      }
    }
  }
  if (key_path.empty()) return std::optional<reg::SignerKey>();
  const std::string text = CANDOR_TRY(read_file(key_path, 4096));
  auto key = reg::SignerKey::parse(text.substr(0, text.find('\n')));
  if (!key.ok()) return Error::invalid_argument(key_path + ": " + key.error().message());
  return std::optional<reg::SignerKey>(std::move(key).value());
}

// The server's options from the command line (the exchange, key and checks are set apart).
web::ServerOptions server_options_for(const ServeOptions& options) {
  web::ServerOptions out;
  out.delivery.max_retry_us = static_cast<std::int64_t>(options.exchange_max_retry * 1'000'000);
  out.aggregate = options.aggregate;
  out.aggregate_interval_seconds = options.aggregate_interval;
  out.listen = options.listen;
  out.demo = options.demo;
  out.secure_cookies = options.secure_cookies;
  out.requests_per_second = options.rate_limit;
  out.trusted_proxies = options.trusted_proxies;
  out.public_url = options.public_url;
  out.connections_per_address = options.connections_per_address;
  out.login_limits.keep_attempts_days = options.keep_sign_ins_days;
  return out;
}

}  // namespace

int run_serve(const ServeOptions& options) {
  // Dozens of worker threads build pages of tens of kilobytes: fixed thresholds keep glibc
  // from trimming and growing the heap again around every page (measured: +10% pages/s).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  ShutdownSignals signals;  // Before any thread starts, so that all inherit the mask.
  if (!options.aggregate.empty() && options.demo == web::DemoMode::on) {
    return report(Error::invalid_argument(
        "--aggregate and --demo: an aggregator mirrors other registers and decides nothing of "
        "its own; start it without --demo"));
  }
  auto opened = open_and_migrate(options.db_path);
  if (!opened.ok()) return report(opened.error());
  // A damaged file is reported before anything is served from it.
  if (auto intact = store::check_integrity(*opened->db); !intact.ok())
    return report(intact.error());
  const SystemClock clock;
  LoadedIndex lists;
  if (!options.lists.empty()) {
    auto loaded = load_index(options.lists, options.list_format, {});
    if (!loaded.ok()) return report(loaded.error());
    lists = std::move(loaded).value();
    spdlog::info("screening against {} lists, {} entities", options.lists.size(), lists.entities);
  } else {
    spdlog::warn("no sanctions lists given (--list): submitted parties cannot be screened");
  }
  const licensing::Checks checks(catalogue::Catalogue::builtin(), lists.index.get(),
                                 risk::Snapshot::builtin());
  std::optional<licensing::ExchangeConfig> exchange;
  if (!options.exchange.empty()) {
    auto loaded = licensing::ExchangeConfig::load(options.exchange);
    if (!loaded.ok()) return report(loaded.error());
    exchange = std::move(loaded).value();
    spdlog::info("exchange: {} ({}) with {} peer(s)", exchange->member_state, exchange->name,
                 exchange->peers.size());
    // Before anything is decided, so that the demonstration's denials carry the member state.
    auto identity = licensing::Exchange(*opened->db, clock, *exchange).record_identity();
    if (!identity.ok()) return report(identity.error());
  }
  std::vector<licensing::DemoLogin> logins;
  if (options.demo == web::DemoMode::on) {
    auto seeded = licensing::seed_demo(*opened->db, clock, checks);
    if (!seeded.ok()) return report(seeded.error());
    if (seeded->seeded) spdlog::info("seeded the demonstration: {} cases", seeded->cases);
    logins = seeded->logins;
  }
  auto register_key = register_key_for(options);
  if (!register_key.ok()) return report(register_key.error());
  web::ServerOptions server_options = server_options_for(options);
  if (exchange) server_options.exchange = &*exchange;
  if (*register_key) server_options.register_key = &**register_key;
  server_options.checks = &checks;
  web::Server server(*opened->db, clock, server_options);
  auto port = server.bind();
  if (!port.ok()) return report(port.error());
  signals.on_signal(server);
  spdlog::info("database {} ({}, schema version {})", opened->db->describe(),
               store::to_string(opened->db->backend()), opened->to_version);
  const std::string& host = options.listen.host;
  const bool ipv6 = host.find(':') != std::string::npos;
  std::printf("Candor is listening on http://%s%s%s:%d/%s\n", ipv6 ? "[" : "", host.c_str(),
              ipv6 ? "]" : "", port.value(),
              options.demo == web::DemoMode::on ? " (demonstration mode)" : "");
  if (!logins.empty()) {
    std::printf("Demonstration logins (password: %s):\n", licensing::kDemoPassword);
    for (const auto& login : logins) {
      std::printf("  %-9s %s\n", login.role.c_str(), login.email.c_str());
    }
  }
  std::fflush(stdout);
  auto served = server.serve();
  if (!served.ok()) return report(served.error());
  spdlog::info("stopped cleanly");
  return kExitOk;
}

}  // namespace candor::cli
