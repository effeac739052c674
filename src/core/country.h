// CountryCode: an ISO 3166-1 alpha-2 code known to Debian's iso-codes data, never a string
// that merely looks like one. Parsing accepts either case and stores upper case.
//
// Thread-safe: the code table is loaded once, on first use, and never changes.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace candor {

class CountryCode {
 public:
  // Accepts an alpha-2 code ("AE", "ae"). Errors: invalid_argument for anything not in
  // ISO 3166-1; unavailable when the iso-codes data cannot be read.
  static Result<CountryCode> parse(std::string_view alpha2);
  // Accepts an alpha-3 code ("ARE"), as some publishers use.
  static Result<CountryCode> from_alpha3(std::string_view alpha3);
  // Accepts a numeric code with its leading zeros ("004"), as map data uses. Errors: not_found.
  static Result<CountryCode> from_numeric(std::string_view numeric);
  // Accepts an English country name as sanctions lists and indicator publishers write it:
  // the ISO short, official or common name ("Iran, Islamic Republic of", "Iran"), or a
  // publisher's usual form ("Korea, North", "Burma", "Russia"). Case and spacing are ignored.
  // Errors: not_found when the name is not known.
  static Result<CountryCode> from_name(std::string_view name);
  // Every ISO 3166-1 country, in alpha-2 order (for choosing one in a form).
  static Result<std::vector<CountryCode>> all();

  std::string_view alpha2() const;
  std::string_view alpha3() const;
  // The short English name from ISO 3166-1, e.g. "United Arab Emirates".
  std::string_view name() const;

  auto operator<=>(const CountryCode&) const = default;

 private:
  explicit CountryCode(std::uint16_t index) : index_(index) {}
  std::uint16_t index_;  // Into the table sorted by alpha-2, so ordering follows the code.
};

}  // namespace candor
