// The register's log, stored through `store`: entries (leaves) and the hash of every complete
// subtree, appended in one transaction per batch, so that a crash leaves either the whole
// batch or none of it and any proof reads O(log n) stored hashes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/timestamp.h"
#include "register/merkle.h"
#include "register/note.h"
#include "register/search.h"
#include "store/database.h"

namespace candor::reg {

// One entry to append: its exact bytes and the fields read from them (columns_of). Only the
// bytes, the entry id and `corrects` are stored; the rest is read from the bytes again.
struct NewEntry {
  std::string entry_id;
  std::string leaf_input;  // Canonical JSON.
  std::string authority;
  std::string decision;
  std::string decision_date;
  std::string destination;
  std::string end_user_type;
  std::string category;
  std::string control_entries;
  std::string exporter;
  std::string value_band;
  std::string corrects;          // entry_id of the entry this one corrects, or empty.
  std::string description;       // item_description
  std::string destination_name;  // As published, when no ISO code stands for it.
};

// When the entry at `index` was appended (RFC 3339: one time per appended batch). Errors:
// not_found for an index no batch holds.
Result<std::string> published_at(store::Connection& c, std::uint64_t index);

class Log {
 public:
  Log(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Appends the entries in order within `connection`'s open write transaction. Returns the
  // index of the first. Errors: conflict for an entry_id already in the log.
  Result<std::uint64_t> append(store::Connection& connection, const std::vector<NewEntry>& entries);
  // Waits for this transaction's turn to append, so that work which reads before appending
  // (publishing the queue) is not done twice by two processes. append() takes it too.
  Result<void> take_turn(store::Connection& connection);
  // The same in a transaction of its own.
  Result<std::uint64_t> append(const std::vector<NewEntry>& entries);
  // Entries [begin, end) of a batch, made on demand.
  using Build = std::function<Result<std::vector<NewEntry>>(std::size_t begin, std::size_t end)>;
  // Appends the `count` entries `build` makes, in one transaction, building each slice on a
  // second thread while the slice before is written: a bulk import overlaps making entries with
  // storing them. Errors: as append, or the first error of `build` (nothing is appended).
  Result<std::uint64_t> append_built(std::size_t count, const Build& build);

  Result<std::uint64_t> size();
  Result<Hash> root(std::uint64_t size);
  Result<std::vector<Hash>> inclusion_proof(std::uint64_t index, std::uint64_t size);
  Result<std::vector<Hash>> consistency_proof(std::uint64_t first, std::uint64_t second);

  struct StoredEntry {
    std::uint64_t index = 0;
    std::string leaf_input;
  };
  // Entries [start, end), at most `limit`.
  Result<std::vector<StoredEntry>> entries(std::uint64_t start, std::uint64_t end,
                                           std::uint64_t limit);

  // Signs a checkpoint of the current tree (stored, so it can be served and compared later).
  Result<std::string> sign_checkpoint(const SignerKey& key, const std::string& origin);
  // The newest signed checkpoint, or nullopt before the first.
  Result<std::optional<std::string>> latest_checkpoint();

 private:
  Result<std::uint64_t> in_transaction(
      std::size_t count, const std::function<Result<std::uint64_t>(store::Connection&)>& write);

  store::Database& db_;
  const Clock& clock_;
};

}  // namespace candor::reg
