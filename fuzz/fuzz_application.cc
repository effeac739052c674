// An application as the JSON API takes it (POST /api/v1/cases), through parsing, validation
// and storage in an in-memory database: a request must give a case or a clear error.
#include <cstdint>
#include <memory>
#include <string_view>

#include "catalogue/catalogue.h"
#include "core/canonical_json.h"
#include "licensing/accounts.h"
#include "licensing/cases.h"
#include "risk/snapshot.h"
#include "store/migrations.h"
#include "web/case_input.h"

namespace {

struct World {
  std::unique_ptr<candor::store::Database> db;
  candor::SystemClock clock;
  std::unique_ptr<candor::licensing::Checks> checks;
  std::unique_ptr<candor::licensing::Cases> cases;
  candor::licensing::User exporter;
};

World& world() {
  static World* w = [] {
    using namespace candor;
    auto* out = new World();
    out->db = store::Database::open({.location = ":memory:", .max_connections = 1}).value();
    (void)store::migrate(*out->db, store::builtin_migrations(), out->clock).value();
    out->checks = std::make_unique<licensing::Checks>(catalogue::Catalogue::builtin(), nullptr,
                                                      risk::Snapshot::builtin());
    out->cases = std::make_unique<licensing::Cases>(*out->db, out->clock, *out->checks);
    licensing::Accounts accounts(*out->db, out->clock, licensing::PasswordCost::minimal);
    out->exporter = accounts
                        .create_user({"fuzz@example.org", "Fuzz", licensing::Role::exporter,
                                      "Fuzz Ltd", "DE", "fuzz-password"})
                        .value();
    return out;
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = json::parse_strict(text, {.max_bytes = 1 << 16, .max_depth = 16});
  if (!json.ok()) return 0;
  auto input = web::case_input_from_json(json.value());
  if (!input.ok()) return 0;
  World& w = world();
  auto reference = w.cases->create(w.exporter, input.value());
  if (!reference.ok()) return 0;
  auto submitted = w.cases->act(w.exporter, *reference, {licensing::Action::submit, "", {}, {}});
  (void)submitted;
  (void)w.cases->view(w.exporter, *reference).value().dump();
  return 0;
}
