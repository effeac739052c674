// Publication: the decisions that become register entries, and when. An entry is built when
// the decision is taken (so it says what was decided then), queued with the time it may be
// published (the authority's delay, setting `publication_delay_days`, default 0), and appended
// to the log once that time has come. Nothing published is edited: a correction is a new
// entry whose "corrects" names the old one.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/timestamp.h"
#include "register/log.h"
#include "store/database.h"

namespace candor::reg {

// Queues `entry` (its fields as in docs/register.md) within the caller's transaction. The
// entry's bytes are its canonical JSON (RFC 8785). Errors: conflict for a repeated entry_id.
Result<void> queue_entry(store::Connection& connection, const nlohmann::json& entry,
                         Timestamp decided_at);

// Appends every queued entry whose time has come, oldest first. Returns how many.
Result<std::size_t> publish_due(store::Database& db, Log& log, Timestamp now);

// The searchable columns of an entry.
NewEntry columns_of(const nlohmann::json& entry, std::string leaf_input);

// The value band an entry shows instead of the exact value, e.g. "1M-10M EUR".
std::string value_band(std::int64_t minor_units, int minor_digits, const std::string& currency);

}  // namespace candor::reg

namespace candor::reg {

// A correction of a published entry (docs/register.md): the old entry's fields with `changes`
// applied ("field=value"; control_entries and criteria take comma-separated lists), a new
// entry_id (the old one with "-c" and the correction's number), "corrects" naming the old
// entry and "correction" saying why and when. Errors: invalid_argument for a field that may
// not be changed (entry_id, schema, authority, corrects) or is unknown, an empty reason, or a
// change that changes nothing.
Result<nlohmann::json> correction_of(
    const nlohmann::json& old, const std::vector<std::pair<std::string, std::string>>& changes,
    const std::string& reason, const std::string& date, int number);

}  // namespace candor::reg
