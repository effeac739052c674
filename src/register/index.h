// The public register's search index, kept in memory by each server: posting lists of entry
// indexes per destination, control entry, decision, year, authority, kind of end user, kind of
// item and exporter. The log is append-only, so the index reads each entry once and then only
// what was appended since (any number of servers over one database stay current); a log that
// shrank or is another log (a restore from a backup) is read again from the start. A search walks
// the shortest posting list of its filters from the newest entry down and checks the other filters
// on each entry's columns; counts and statistics walk the same lists, so every search is
// counted exactly, at any size of log.
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "register/search.h"
#include "store/database.h"

namespace candor::reg {

class Index {
 public:
  // Brings the index up to the log in `c` and returns the log's size there.
  Result<std::uint64_t> refresh(store::Connection& c);

  // The newest matches first; skips `offset`, or with `before`, starts below that index.
  // Page::total stays empty: see count().
  Result<Page> search(store::Connection& c, const Query& query, std::uint64_t offset,
                      std::uint64_t limit, std::optional<std::uint64_t> before = std::nullopt,
                      bool with_entry = true);
  // How many entries match (corrected entries left out).
  Result<std::uint64_t> count(store::Connection& c, const Query& query);
  // Matching entries counted by (authority, year, destination, decision, category), as the log
  // stood at `size` entries (default: as it stands in `c`): an entry corrected only later
  // counts, its correction not yet. Control, exporter and end-user filters apply too.
  Result<std::vector<Count>> counts(store::Connection& c, const Query& query,
                                    std::optional<std::uint64_t> size = std::nullopt);

 private:
  enum Field : std::uint8_t {
    kDestination,
    kAuthority,
    kDecision,
    kCategory,
    kEndUser,
    kYear,
    kExporter,
    kFields
  };
  static constexpr std::uint32_t kNone = UINT32_MAX;

  // The distinct values of one field, their postings and each entry's value.
  struct Column {
    std::vector<std::string> names;
    std::unordered_map<std::string, std::uint32_t> ids;
    std::vector<std::vector<std::uint32_t>> postings;
    std::vector<std::uint32_t> values;  // By entry index (single-valued fields).

    // The value's id, and the entry added to its postings.
    std::uint32_t add(std::string_view value, std::uint32_t entry);
    std::optional<std::uint32_t> find(std::string_view value) const;
  };

  struct Plan;
  Plan plan(const Query& query) const;
  bool matches(const Plan& plan, std::uint32_t entry, std::uint64_t size) const;
  // Calls `visit` for each match below `below`, newest first, until it returns false.
  template <typename Visit>
  void walk(const Plan& plan, std::uint64_t below, std::uint64_t size, Visit visit) const;
  Result<void> load(store::Connection& c, std::uint64_t until);
  void clear();

  mutable std::shared_mutex mutex_;
  std::uint64_t size_ = 0;
  std::string last_id_;  // The entry_id of entry size_ - 1.
  Column columns_[kFields];
  // Control entries: several per entry, as offsets into control_ids_.
  Column controls_;
  std::vector<std::uint32_t> control_begin_{0};
  std::vector<std::uint32_t> control_ids_;
  // The index of the entry that corrects each entry, or kNone.
  std::vector<std::uint32_t> corrected_by_;
};

}  // namespace candor::reg
