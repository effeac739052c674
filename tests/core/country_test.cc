#include "core/country.h"

#include <gtest/gtest.h>

namespace candor {
namespace {

TEST(CountryCode, ParsesCodesFromIsoData) {
  auto ae = CountryCode::parse("AE");
  ASSERT_TRUE(ae.ok()) << ae.error().to_string();
  EXPECT_EQ(ae->alpha2(), "AE");
  EXPECT_EQ(ae->alpha3(), "ARE");
  EXPECT_EQ(ae->name(), "United Arab Emirates");
}

TEST(CountryCode, NormalisesCase) {
  auto mx = CountryCode::parse("mx");
  ASSERT_TRUE(mx.ok());
  EXPECT_EQ(mx->alpha2(), "MX");
  EXPECT_EQ(mx.value(), CountryCode::parse("MX").value());
}

TEST(CountryCode, FromAlpha3) {
  auto tr = CountryCode::from_alpha3("TUR");
  ASSERT_TRUE(tr.ok());
  EXPECT_EQ(tr->alpha2(), "TR");
  EXPECT_FALSE(CountryCode::from_alpha3("XXX").ok());
}

// Codes that look right but are not assigned in ISO 3166-1 are refused: "UK" (the alpha-2 of
// the United Kingdom is GB), "EU" (reserved, not a country), "ZZ" (user-assigned).
TEST(CountryCode, RefusesUnassignedAndMalformedCodes) {
  for (const char* text : {"UK", "EU", "ZZ", "", "A", "ARE", "1A", "a-", "\xC3\xA9\x41"}) {
    auto parsed = CountryCode::parse(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().kind(), ErrorKind::invalid_argument) << text;
    }
  }
}

// Rule: publishers' names map to codes through ISO's short, official and common names, then a
// table of their usual spellings.
TEST(CountryCode, FromNameAsPublishersWriteIt) {
  const std::pair<const char*, const char*> cases[] = {
      {"Iran, Islamic Republic of", "IR"},
      {"Iran", "IR"},
      {"IRAN", "IR"},
      {"Korea, North", "KP"},
      {"North Korea", "KP"},
      {"Burma", "MM"},
      {"Russia", "RU"},
      {"Russian Federation", "RU"},
      {"  united   arab emirates ", "AE"},
      {"Cuba", "CU"},
      {"Syria", "SY"},
      {"Congo, Democratic Republic of the", "CD"},
  };
  for (const auto& [name, code] : cases) {
    auto parsed = CountryCode::from_name(name);
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.error().to_string();
    EXPECT_EQ(parsed->alpha2(), code) << name;
  }
  auto unknown = CountryCode::from_name("Atlantis");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind(), ErrorKind::not_found);
}

TEST(CountryCode, OrdersByCode) {
  EXPECT_LT(CountryCode::parse("AE").value(), CountryCode::parse("DE").value());
  EXPECT_LT(CountryCode::parse("DE").value(), CountryCode::parse("MX").value());
}

}  // namespace
}  // namespace candor
