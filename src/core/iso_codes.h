// Reads Debian's iso-codes JSON files (package iso-codes), the source of truth for country and
// currency codes, so that no code list is typed by hand. Internal to core.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace candor::iso_codes {

// The folder holding iso_3166-1.json and iso_4217.json: $CANDOR_ISO_CODES_DIR when set,
// otherwise the Debian path chosen at build time.
std::string directory();

// Parses `file_name` in directory() and returns the array stored under `key` ("3166-1", ...).
Result<nlohmann::json> load_table(std::string_view file_name, std::string_view key);

}  // namespace candor::iso_codes
