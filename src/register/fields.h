// Reading a register entry's fields from its stored bytes. The search index reads every entry
// of the log when a server starts (a million at a time), so the bytes are scanned directly
// rather than parsed into a document: members other than the fields are skipped, checked but
// not kept. The result is what columns_of (register/publish.h) reads from the parsed document,
// for any JSON text (fuzz_entry_fields checks the two against each other).
#pragma once

#include <string>

#include "core/error.h"
#include "register/log.h"

namespace candor::reg {

// Errors: data_loss when the bytes are not one JSON object (RFC 8259, UTF-8, nested at most
// 256 deep) with a non-empty string entry_id: the log holds only entries it accepted.
Result<NewEntry> fields_of(std::string leaf_input);

}  // namespace candor::reg
