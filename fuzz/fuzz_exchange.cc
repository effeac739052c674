// What another authority sends: exchange envelopes, raw (as anyone may post them) and signed
// by a configured peer around any message the fuzzer makes up, so that every kind's body
// checks and what receiving it changes in the database are reached too; and the exchange
// file an operator writes.
//
// Input: byte 0 picks the mode (0: exchange file, 1: raw envelope, 2: a message JSON to seal
// as the peer FR and receive); the rest is the text.
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/canonical_json.h"
#include "licensing/exchange.h"
#include "store/migrations.h"

namespace {

using namespace candor;

struct World {
  std::unique_ptr<store::Database> db;
  SystemClock clock;
  licensing::ExchangeConfig config;
  reg::SignerKey peer_key;
  std::unique_ptr<licensing::Exchange> exchange;
};

World& world() {
  static World* w = [] {
    auto* out = new World();
    struct statvfs shm {};
    const bool roomy = ::statvfs("/dev/shm", &shm) == 0 &&
                       static_cast<std::uint64_t>(shm.f_bavail) * shm.f_frsize > (1ULL << 30);
    std::string pattern =
        roomy ? "/dev/shm/candor-fuzz-XXXXXX"
              : (std::filesystem::temp_directory_path() / "candor-fuzz-XXXXXX").string();
    char* folder = ::mkdtemp(pattern.data());
    if (folder == nullptr) std::abort();
    static std::string made;
    made = folder;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(made, ignored);
    });
    out->db = store::Database::open({.location = made + "/candor.db"}).value();
    (void)store::migrate(*out->db, out->clock).value();
    out->config.member_state = "DE";
    out->config.name = "Fuzz authority";
    out->config.key = reg::SignerKey::generate("de.exchange.fuzz").value();
    out->peer_key = reg::SignerKey::generate("fr.exchange.fuzz").value();
    out->config.peers = {{"FR", "Peer", "http://127.0.0.1:9", out->peer_key.verifier()},
                         {"NL", "Other peer", "http://127.0.0.1:9", out->config.key.verifier()}};
    out->exchange = std::make_unique<licensing::Exchange>(*out->db, out->clock, out->config);
    return out;
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  World& w = world();
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: (void)licensing::parse_exchange_file(text); break;
    case 1: (void)w.exchange->receive(text); break;
    default: {
      auto message = nlohmann::json::parse(text, nullptr, false);
      if (message.is_discarded()) return 0;
      auto canonical = json::canonical(message);
      if (!canonical.ok()) return 0;
      auto note = reg::sign_note("candor-exchange/v1\n" + *canonical + "\n", w.peer_key);
      if (!note.ok()) return 0;
      std::string signature = note->substr(note->rfind(' ') + 1);
      if (!signature.empty() && signature.back() == '\n') signature.pop_back();
      const std::string envelope =
          nlohmann::json{{"message", message}, {"signature", signature}}.dump();
      (void)w.exchange->receive(envelope);
    }
  }
  return 0;
}
