// A clock that always says 2026-11-29T12:00:00Z, for tests whose records carry times.
#pragma once

#include "core/timestamp.h"

namespace candor::testing {

class FixedClock final : public Clock {
 public:
  Timestamp now() const override {
    return Timestamp::parse_rfc3339("2026-11-29T12:00:00Z").value();
  }
};

}  // namespace candor::testing
