// Reading a register entry's fields from its stored bytes. The search index reads every entry
// of the log when a server starts (a million at a time), so the bytes are scanned directly
// rather than parsed into a document: members other than the fields are skipped, checked but
// not kept. The result is what columns_of (register/publish.h) reads from the parsed document,
// for any JSON text (fuzz_entry_fields checks the two against each other).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "register/log.h"

namespace candor::reg {

// How deep and long an entry may be. Candor's own entries are three levels deep and a few
// kilobytes; the limits bound every reader of entries, including those mirrored from other
// registers, since nlohmann's copy and dump recurse once per level.
inline constexpr int kMaxEntryDepth = 32;
inline constexpr std::size_t kMaxEntryBytes = std::size_t{1} << 20;

// Errors: data_loss when the bytes are not one JSON object (RFC 8259, UTF-8, nested at most
// kMaxEntryDepth deep, at most kMaxEntryBytes) with a non-empty string entry_id: the log holds
// only entries it accepted.
Result<NewEntry> fields_of(std::string leaf_input);

// An entry's bytes as a document, for reading: discarded (is_discarded()) when they are not
// JSON within the limits above, so that no reader copies or prints an unbounded document.
nlohmann::json parse_entry(std::string_view leaf_input);

}  // namespace candor::reg
