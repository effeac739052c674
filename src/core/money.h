// Money: an amount in the minor units of an ISO 4217 currency (cents for EUR, yen for JPY),
// so that sums are exact. Currency codes are checked against Debian's iso-codes data; the
// number of minor-unit digits follows ISO 4217.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace candor {

class Currency {
 public:
  // Accepts a three-letter code in either case. Errors: invalid_argument for a code not in
  // ISO 4217; unavailable when the iso-codes data cannot be read.
  static Result<Currency> parse(std::string_view code);

  const std::string& code() const { return code_; }
  // Digits after the decimal point: 2 for EUR, 0 for JPY, 3 for KWD.
  int minor_digits() const { return minor_digits_; }

  bool operator==(const Currency&) const = default;

 private:
  Currency(std::string code, int minor_digits)
      : code_(std::move(code)), minor_digits_(minor_digits) {}
  std::string code_;
  int minor_digits_;
};

class Money {
 public:
  static Money from_minor(Currency currency, std::int64_t minor_units) {
    return Money(std::move(currency), minor_units);
  }
  // Reads "EUR 1250000.50" or "1250000.50 EUR"; a decimal point, no thousands separators, at
  // most as many decimals as the currency has minor digits.
  static Result<Money> parse(std::string_view text);

  const Currency& currency() const { return currency_; }
  std::int64_t minor_units() const { return minor_units_; }

  // "EUR 1250000.50": the form parse() reads.
  std::string to_string() const;

  // Errors: invalid_argument for different currencies, resource_exhausted on overflow.
  Result<Money> plus(const Money& other) const;

  bool operator==(const Money&) const = default;

 private:
  Money(Currency currency, std::int64_t minor_units)
      : currency_(std::move(currency)), minor_units_(minor_units) {}
  Currency currency_;
  std::int64_t minor_units_;
};

}  // namespace candor
