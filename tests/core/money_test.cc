#include "core/money.h"

#include <gtest/gtest.h>

namespace candor {
namespace {

struct ParseCase {
  const char* text;
  const char* currency;
  std::int64_t minor_units;
  const char* printed;
};

// Rule: amounts are exact minor units with the ISO 4217 number of decimals of the currency.
TEST(Money, ParsesIntoMinorUnits) {
  const ParseCase cases[] = {
      {"EUR 1250000.50", "EUR", 125000050, "EUR 1250000.50"},
      {"1250000.5 EUR", "EUR", 125000050, "EUR 1250000.50"},
      {"eur 7", "EUR", 700, "EUR 7.00"},
      {"JPY 1500", "JPY", 1500, "JPY 1500"},
      {"KWD 1.234", "KWD", 1234, "KWD 1.234"},
      {"GBP -0.05", "GBP", -5, "GBP -0.05"},
      {"  USD 0.00 ", "USD", 0, "USD 0.00"},
  };
  for (const auto& c : cases) {
    auto money = Money::parse(c.text);
    ASSERT_TRUE(money.ok()) << c.text << ": " << money.error().to_string();
    EXPECT_EQ(money->currency().code(), c.currency) << c.text;
    EXPECT_EQ(money->minor_units(), c.minor_units) << c.text;
    EXPECT_EQ(money->to_string(), c.printed) << c.text;
  }
}

TEST(Money, RefusesBadAmounts) {
  for (const char* text :
       {"EUR", "1250", "EUR 12.345", "JPY 1.5", "EUR 1,000.00", "EUR .5", "EUR 5.", "EUR 1e5",
        "ABC 1.00", "XAU 1", "EUR 99999999999999999999", "EUR --1"}) {
    auto money = Money::parse(text);
    EXPECT_FALSE(money.ok()) << text;
    if (!money.ok()) {
      EXPECT_EQ(money.error().kind(), ErrorKind::invalid_argument) << text;
    }
  }
}

TEST(Currency, MinorDigitsFollowIso4217) {
  EXPECT_EQ(Currency::parse("EUR")->minor_digits(), 2);
  EXPECT_EQ(Currency::parse("JPY")->minor_digits(), 0);
  EXPECT_EQ(Currency::parse("BHD")->minor_digits(), 3);
  EXPECT_EQ(Currency::parse("CLF")->minor_digits(), 4);
}

TEST(Money, AddsOnlyTheSameCurrency) {
  auto a = Money::parse("EUR 1.50").value();
  auto b = Money::parse("EUR 2.75").value();
  EXPECT_EQ(a.plus(b)->to_string(), "EUR 4.25");
  EXPECT_FALSE(a.plus(Money::parse("USD 1.00").value()).ok());
  auto huge = Money::from_minor(Currency::parse("EUR").value(), INT64_MAX);
  auto overflow = huge.plus(a);
  ASSERT_FALSE(overflow.ok());
  EXPECT_EQ(overflow.error().kind(), ErrorKind::resource_exhausted);
}

TEST(Money, PrintsTheMostNegativeAmount) {
  auto low = Money::from_minor(Currency::parse("EUR").value(), INT64_MIN);
  EXPECT_EQ(low.to_string(), "EUR -92233720368547758.08");
}

}  // namespace
}  // namespace candor
