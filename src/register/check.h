// Checking a register held in a database against itself, with nothing from outside: every
// stored entry hashed again into the tree, compared with the tree's stored nodes and with
// every checkpoint the register signed. `candor backup` and `candor restore` run it, so a
// backup that does not hold the register the public saw is refused rather than served.
// (Signatures need the register's public key: `candor register verify` checks those.)
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/timestamp.h"
#include "register/merkle.h"
#include "store/database.h"

namespace candor::reg {

struct LogCheck {
  std::uint64_t entries = 0;
  std::uint64_t checkpoints = 0;
  Hash root{};  // Of all the entries.
};

// Errors: data_loss naming the first entry, node or checkpoint that disagrees; what reading
// the database gives.
Result<LogCheck> check_stored_log(store::Database& db, const Clock& clock);

}  // namespace candor::reg
