#include "core/money.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <set>

#include "core/iso_codes.h"

namespace candor {
namespace {

struct MinorDigits {
  std::string_view code;
  int digits;
};

// ISO 4217 minor units where they differ from the usual two. iso-codes lists the codes but
// not their minor units, so this one column is kept here.
constexpr auto kMinorDigitExceptions = std::to_array<MinorDigits>({
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3},
    {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3},
    {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"UYW", 4},
    {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
});

// Codes whose ISO 4217 minor unit is "N.A.": precious metals, bond-market units, the SDR and
// the test and "no currency" codes. Licence values are never stated in them.
constexpr auto kNonMonetary = std::to_array<std::string_view>(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"});

Result<std::set<std::string>> load_currency_codes() {
  auto table = CANDOR_TRY(iso_codes::load_table("iso_4217.json", "4217"));
  std::set<std::string> codes;
  for (const auto& row : table) {
    if (row.is_object() && row.contains("alpha_3") && row["alpha_3"].is_string()) {
      codes.insert(row["alpha_3"].get<std::string>());
    }
  }
  if (codes.empty()) return Error::data_loss("iso_4217.json lists no currencies");
  return codes;
}

const Result<std::set<std::string>>& currency_codes() {
  static const Result<std::set<std::string>> codes = load_currency_codes();
  return codes;
}

int minor_digits_of(std::string_view code) {
  for (const auto& e : kMinorDigitExceptions) {
    if (e.code == code) return e.digits;
  }
  return 2;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Reads "[-]digits[.digits]" as minor units with `digits` decimals.
Result<std::int64_t> parse_amount(std::string_view text, int digits) {
  const auto fail = [&](const std::string& why) {
    return Error::invalid_argument("'" + std::string(text) + "' is not an amount: " + why);
  };
  std::size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++pos;
  std::int64_t value = 0;
  int integer_digits = 0;
  int fraction_digits = 0;
  bool in_fraction = false;
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') return fail("only digits and one decimal point are allowed");
    if (in_fraction && ++fraction_digits > digits) {
      return fail("at most " + std::to_string(digits) + " decimals for this currency");
    }
    if (!in_fraction) ++integer_digits;
    if (value > (kMax - (c - '0')) / 10) return fail("too large");
    value = value * 10 + (c - '0');
  }
  if (integer_digits == 0) return fail("digits are required before the decimal point");
  if (in_fraction && fraction_digits == 0) return fail("digits are required after the point");
  for (int d = fraction_digits; d < digits; ++d) {
    if (value > kMax / 10) return fail("too large");
    value *= 10;
  }
  return negative ? -value : value;
}

}  // namespace

Result<Currency> Currency::parse(std::string_view code) {
  std::string upper(code);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.size() != 3 ||
      !std::all_of(upper.begin(), upper.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Error::invalid_argument("a currency is a three-letter ISO 4217 code, got '" +
                                   std::string(code) + "'");
  }
  const auto& codes = currency_codes();
  if (!codes.ok()) return codes.error();
  if (!codes.value().contains(upper) ||
      std::find(kNonMonetary.begin(), kNonMonetary.end(), upper) != kNonMonetary.end()) {
    return Error::invalid_argument("'" + upper + "' is not an ISO 4217 currency");
  }
  const int digits = minor_digits_of(upper);
  return Currency(std::move(upper), digits);
}

Result<Money> Money::parse(std::string_view text) {
  const std::string_view trimmed = trim(text);
  const auto space = trimmed.find(' ');
  if (space == std::string_view::npos) {
    return Error::invalid_argument("'" + std::string(text) +
                                   "' is not an amount: write it as 'EUR 1250.00'");
  }
  std::string_view first = trim(trimmed.substr(0, space));
  std::string_view second = trim(trimmed.substr(space + 1));
  const bool code_first = !first.empty() && std::isalpha(static_cast<unsigned char>(first[0]));
  if (!code_first) std::swap(first, second);
  auto currency = CANDOR_TRY(Currency::parse(first));
  const auto minor = CANDOR_TRY(parse_amount(second, currency.minor_digits()));
  return Money(std::move(currency), minor);
}

std::string Money::to_string() const {
  const int digits = currency_.minor_digits();
  // Unsigned, so that the most negative amount prints without overflow.
  std::uint64_t magnitude = minor_units_ < 0 ? 0 - static_cast<std::uint64_t>(minor_units_)
                                             : static_cast<std::uint64_t>(minor_units_);
  std::string number = std::to_string(magnitude);
  if (digits > 0) {
    if (number.size() <= static_cast<std::size_t>(digits)) {
      number.insert(0, static_cast<std::size_t>(digits) + 1 - number.size(), '0');
    }
    number.insert(number.size() - static_cast<std::size_t>(digits), ".");
  }
  return currency_.code() + " " + (minor_units_ < 0 ? "-" : "") + number;
}

Result<Money> Money::plus(const Money& other) const {
  if (!(currency_ == other.currency_)) {
    return Error::invalid_argument("cannot add " + other.currency_.code() + " to " +
                                   currency_.code());
  }
  std::int64_t sum = 0;
  if (__builtin_add_overflow(minor_units_, other.minor_units_, &sum)) {
    return Error(ErrorKind::resource_exhausted, "amount too large");
  }
  return Money(currency_, sum);
}

}  // namespace candor
