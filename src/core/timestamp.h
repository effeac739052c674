// Timestamp: an instant in UTC with microsecond precision, read and written as RFC 3339.
//
// Output is canonical so that it can be hashed: "2026-11-29T01:56:51Z", with a fraction of
// exactly 3 or 6 digits only when the instant has one. Input accepts any RFC 3339 offset and
// converts it to UTC. Years are 0001-9999, the range RFC 3339 can write.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace candor {

class Timestamp {
 public:
  static Result<Timestamp> parse_rfc3339(std::string_view text);
  // Errors: invalid_argument when the instant falls outside years 0001-9999.
  static Result<Timestamp> from_unix_micros(std::int64_t micros);

  std::int64_t unix_micros() const { return micros_; }
  std::int64_t unix_seconds() const;
  std::string to_rfc3339() const;
  // "YYYY-MM-DD" of the instant in UTC.
  std::string date() const;

  auto operator<=>(const Timestamp&) const = default;

 private:
  explicit Timestamp(std::int64_t micros) : micros_(micros) {}
  std::int64_t micros_;
};

// Where "now" comes from, so tests can set the time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

}  // namespace candor
