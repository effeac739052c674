// The demonstration authority `candor serve --demo` starts with: accounts for every role and
// fifteen cases, one in each state, from three fictional exporters to real destinations (their
// real indicator figures come from the risk snapshot). With real sanctions lists loaded, some
// parties are real listed entities and are screened as hits.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "core/timestamp.h"
#include "licensing/checks.h"
#include "store/database.h"

namespace candor::licensing {

struct DemoLogin {
  std::string role;
  std::string email;
};

inline constexpr const char* kDemoPassword = "demo-password";

struct DemoSeed {
  bool seeded = false;  // False when the database already had accounts (nothing changed).
  std::size_t cases = 0;
  std::vector<DemoLogin> logins;
};

// Seeds an empty database; leaves one with accounts untouched (restarts keep their work).
// The cases' histories end before `clock.now()`; the oldest starts 120 days earlier.
Result<DemoSeed> seed_demo(store::Database& db, const Clock& clock, const Checks& checks);

// The demonstration logins of a database seeded before, for printing at start-up.
Result<std::vector<DemoLogin>> demo_logins(store::Database& db);

}  // namespace candor::licensing
