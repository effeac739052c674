#include "core/timestamp.h"

#include <chrono>
#include <cstdio>

namespace candor {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Micros since the epoch of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z.
constexpr std::int64_t kMinMicros = -62'135'596'800 * kMicrosPerSecond;
constexpr std::int64_t kMaxMicros = 253'402'300'800 * kMicrosPerSecond - 1;

// Reads exactly `width` decimal digits at `pos`, advancing it.
bool read_digits(std::string_view text, std::size_t& pos, int width, int& out) {
  if (pos + static_cast<std::size_t>(width) > text.size()) return false;
  out = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(width);
  return true;
}

bool expect(std::string_view text, std::size_t& pos, std::string_view allowed) {
  if (pos >= text.size() || allowed.find(text[pos]) == std::string_view::npos) return false;
  ++pos;
  return true;
}

Error bad(std::string_view text, std::string_view why) {
  return Error::invalid_argument("'" + std::string(text) +
                                 "' is not an RFC 3339 timestamp: " + std::string(why));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Reads ".fraction" when present, as microseconds; digits past the sixth are dropped.
bool read_fraction(std::string_view text, std::size_t& pos, std::int64_t& micros) {
  micros = 0;
  if (pos >= text.size() || text[pos] != '.') return true;
  ++pos;
  int digits = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (digits < 6) micros = micros * 10 + (text[pos] - '0');
    ++digits;
    ++pos;
  }
  for (int d = digits; d < 6; ++d) micros *= 10;
  return digits > 0;
}

// Reads "Z" or "+HH:MM"/"-HH:MM" as an offset east of UTC in seconds.
bool read_offset(std::string_view text, std::size_t& pos, std::int64_t& offset_seconds) {
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
    offset_seconds = 0;
    return true;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  const int sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  int hours = 0;
  int minutes = 0;
  if (!read_digits(text, pos, 2, hours) || !expect(text, pos, ":") ||
      !read_digits(text, pos, 2, minutes) || hours > 23 || minutes > 59) {
    return false;
  }
  offset_seconds = std::int64_t{sign} * (hours * 3600 + minutes * 60);
  return true;
}

}  // namespace

Result<Timestamp> Timestamp::parse_rfc3339(std::string_view text) {
  std::size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, "-") ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, "-") ||
      !read_digits(text, pos, 2, day)) {
    return bad(text, "expected a date as YYYY-MM-DD");
  }
  if (!expect(text, pos, "Tt ") || !read_digits(text, pos, 2, hour) || !expect(text, pos, ":") ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ":") ||
      !read_digits(text, pos, 2, second)) {
    return bad(text, "expected a time as THH:MM:SS");
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (year == 0 || !ymd.ok()) return bad(text, "no such date");
  if (second == 60) return bad(text, "leap seconds are not supported");
  if (hour > 23 || minute > 59 || second > 59) return bad(text, "no such time of day");
  std::int64_t fraction = 0;
  if (!read_fraction(text, pos, fraction)) return bad(text, "a '.' must be followed by digits");
  std::int64_t offset = 0;
  if (!read_offset(text, pos, offset)) return bad(text, "expected 'Z' or an offset as +HH:MM");
  if (pos != text.size()) return bad(text, "unexpected text after the offset");

  const std::int64_t day_number = sys_days{ymd}.time_since_epoch().count();
  const std::int64_t seconds =
      day_number * 86'400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second - offset;
  return from_unix_micros(seconds * kMicrosPerSecond + fraction);
}

Result<Timestamp> Timestamp::from_unix_micros(std::int64_t micros) {
  if (micros < kMinMicros || micros > kMaxMicros) {
    return Error::invalid_argument("timestamp outside years 0001-9999");
  }
  return Timestamp(micros);
}

std::int64_t Timestamp::unix_seconds() const { return floor_div(micros_, kMicrosPerSecond); }

std::string Timestamp::date() const { return to_rfc3339().substr(0, 10); }

std::string Timestamp::to_rfc3339() const {
  const std::int64_t day_number = floor_div(micros_, kMicrosPerDay);
  const std::int64_t micros_of_day = micros_ - day_number * kMicrosPerDay;
  const std::chrono::year_month_day ymd{sys_days{days{day_number}}};
  const std::int64_t seconds_of_day = micros_of_day / kMicrosPerSecond;
  const std::int64_t fraction = micros_of_day % kMicrosPerSecond;
  char buffer[40];
  int n = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d",
                        static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), static_cast<int>(seconds_of_day / 3600),
                        static_cast<int>(seconds_of_day / 60 % 60),
                        static_cast<int>(seconds_of_day % 60));
  if (fraction % 1000 != 0) {
    n += std::snprintf(buffer + n, sizeof buffer - static_cast<std::size_t>(n), ".%06d",
                       static_cast<int>(fraction));
  } else if (fraction != 0) {
    n += std::snprintf(buffer + n, sizeof buffer - static_cast<std::size_t>(n), ".%03d",
                       static_cast<int>(fraction / 1000));
  }
  return std::string(buffer, static_cast<std::size_t>(n)) + "Z";
}

Timestamp SystemClock::now() const {
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  return Timestamp::from_unix_micros(now.time_since_epoch().count()).value();
}

}  // namespace candor
