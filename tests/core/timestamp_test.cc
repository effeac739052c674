#include "core/timestamp.h"

#include <gtest/gtest.h>

namespace candor {
namespace {

struct Case {
  const char* input;
  const char* canonical;
};

// Rule: any RFC 3339 offset is read and the instant is written back in UTC with "Z".
TEST(Timestamp, ParsesAndWritesCanonicalUtc) {
  const Case cases[] = {
      {"2026-11-29T01:56:51Z", "2026-11-29T01:56:51Z"},
      {"2026-11-29t01:56:51z", "2026-11-29T01:56:51Z"},
      {"2026-11-29 01:56:51Z", "2026-11-29T01:56:51Z"},
      {"2026-11-29T03:56:51+02:00", "2026-11-29T01:56:51Z"},
      {"2026-11-28T20:26:51-05:30", "2026-11-29T01:56:51Z"},
      {"2024-02-29T23:59:59.5Z", "2024-02-29T23:59:59.500Z"},
      {"2024-02-29T23:59:59.123456789Z", "2024-02-29T23:59:59.123456Z"},
      {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"},
      {"1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"},
      {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
      {"9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"},
      {"2021-09-09T00:00:00+14:00", "2021-09-08T10:00:00Z"},
  };
  for (const auto& c : cases) {
    auto t = Timestamp::parse_rfc3339(c.input);
    ASSERT_TRUE(t.ok()) << c.input << ": " << t.error().to_string();
    EXPECT_EQ(t->to_rfc3339(), c.canonical) << c.input;
  }
}

TEST(Timestamp, UnixMicrosRoundTrip) {
  auto t = Timestamp::parse_rfc3339("2021-09-09T00:00:00Z").value();
  EXPECT_EQ(t.unix_seconds(), 1631145600);
  EXPECT_EQ(t.unix_micros(), 1631145600000000);
  EXPECT_EQ(Timestamp::from_unix_micros(-1).value().to_rfc3339(), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(Timestamp::from_unix_micros(-1).value().unix_seconds(), -1);
  EXPECT_EQ(t.date(), "2021-09-09");
}

TEST(Timestamp, RefusesWhatIsNotRfc3339) {
  for (const char* text :
       {"", "2026-11-29", "2026-11-29T01:56:51", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-29T24:00:00Z",
        "2026-11-29T23:60:00Z", "2016-12-31T23:59:60Z", "2026-11-29T01:56:51.Z",
        "2026-11-29T01:56:51+0200", "2026-11-29T01:56:51+24:00", "2026-11-29T01:56:51Zjunk",
        "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+00:01", "26-11-29T01:56:51Z",
        "2026-1-29T01:56:51Z", "+2026-11-29T01:56:51Z"}) {
    auto t = Timestamp::parse_rfc3339(text);
    EXPECT_FALSE(t.ok()) << text;
    if (!t.ok()) {
      EXPECT_EQ(t.error().kind(), ErrorKind::invalid_argument) << text;
    }
  }
}

TEST(Timestamp, RefusesInstantsOutsideYears1To9999) {
  EXPECT_FALSE(Timestamp::from_unix_micros(INT64_MAX).ok());
  EXPECT_FALSE(Timestamp::from_unix_micros(INT64_MIN).ok());
}

TEST(SystemClock, IsNearTheBuildYear) {
  const Timestamp now = SystemClock{}.now();
  EXPECT_GT(now, Timestamp::parse_rfc3339("2024-01-01T00:00:00Z").value());
}

}  // namespace
}  // namespace candor
