// The aggregator's monitor (`candor serve --aggregate URL ...`): it mirrors other authorities'
// public registers into this database's own log, so that one site serves an EU-wide register,
// its statistics and the Art. 26 report across member states.
//
// It trusts nothing a register serves until it is checked, as a Certificate Transparency
// monitor does: each register's key is pinned on first contact; every checkpoint must carry a
// valid signature by it; each new checkpoint must be proved consistent with the one verified
// before (RFC 9162 consistency proof); entries are fetched in slices, hashed into the right
// edge of the tree, and each slice proved to be a prefix of the signed tree before it is
// appended here. A register that contradicts itself (shrinks, changes a root, or cannot prove
// a new checkpoint consistent with an earlier one) is flagged publicly with the two signed
// checkpoints, which anyone can check, and is no longer mirrored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/timestamp.h"
#include "register/log.h"
#include "register/merkle.h"
#include "register/verify.h"
#include "store/database.h"

namespace candor::reg {

// The right edge of a Merkle tree: the hashes of its perfect subtrees, largest first. Enough
// to append leaves and compute the root (RFC 9162) without the leaves themselves.
class Frontier {
 public:
  void append(const Hash& leaf);
  std::uint64_t size() const { return size_; }
  Hash root() const;
  // "size:base64(hashes)". Errors: invalid_argument for text this class did not write.
  std::string to_text() const;
  static Result<Frontier> parse(std::string_view text);

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> nodes_;
};

struct MirrorRound {
  std::uint64_t verified_size = 0;  // Of the register's latest verified checkpoint.
  std::uint64_t mirrored = 0;       // Entries of it mirrored here so far.
  std::uint64_t appended = 0;       // In this round.
  std::string problem;              // Why the round stopped early (unreachable, bad answer).
  bool flagged = false;             // The register contradicted itself; no longer mirrored.
};

class Mirror {
 public:
  // REQUIRES: all outlive the mirror. `log` is this database's own log.
  Mirror(store::Database& db, const Clock& clock, Log& log);

  // Adds a register to mirror (nothing when it is there already).
  Result<void> add(const std::string& url);

  // One round for the register at `url` through `remote`: its checkpoint checked, and up to
  // `max_entries` more of its entries verified and appended. Errors only when this database
  // fails; a register that cannot be reached or answers wrongly is the round's problem.
  Result<MirrorRound> sync(const std::string& url, Remote& remote,
                           std::uint64_t max_entries = 50'000);

  // Every register mirrored: its state and flags, each flag with the two signed checkpoints.
  Result<nlohmann::json> status();

  // Where the entry at `local_index` of this log sits in its own authority's log, as
  // {"url", "index"}, or null for an entry that is not mirrored.
  Result<nlohmann::json> origin_of(std::uint64_t local_index);

 private:
  store::Database& db_;
  const Clock& clock_;
  Log& log_;
};

}  // namespace candor::reg
