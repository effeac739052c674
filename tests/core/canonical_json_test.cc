#include "core/canonical_json.h"

#include <gtest/gtest.h>

namespace candor::json {
namespace {

using nlohmann::json;

std::string canon(const json& value) {
  auto result = canonical(value);
  EXPECT_TRUE(result.ok()) << result.error().to_string();
  return result.ok() ? result.value() : "";
}

struct NumberCase {
  double value;
  const char* expected;
};

// Rule: numbers are written as ECMAScript's Number::toString writes them (RFC 8785 3.2.2.3).
TEST(CanonicalJson, NumbersFollowEcmaScript) {
  const NumberCase cases[] = {
      {0.0, "0"},
      {-0.0, "0"},
      {1.0, "1"},
      {-1.5, "-1.5"},
      {4.50, "4.5"},
      {0.002, "0.002"},
      {1e-7, "1e-7"},
      {1e21, "1e+21"},
      {1e20, "100000000000000000000"},
      {1e30, "1e+30"},
      {123.456e-10, "1.23456e-8"},
      {0.1, "0.1"},
      {333333333.3333333, "333333333.3333333"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {0.000001, "0.000001"},
      {12345678.9, "12345678.9"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(canon(json(c.value)), c.expected) << "value " << c.value;
  }
}

// Rule: members are sorted by their names' UTF-16 code units, not by UTF-8 bytes. U+1F600
// (a surrogate pair, 0xD83D...) sorts before U+FB01 (0xFB01) in UTF-16 but after it in UTF-8.
TEST(CanonicalJson, MembersSortByUtf16CodeUnits) {
  json object = {{"\xEF\xAC\x81", 1}, {"\xF0\x9F\x98\x80", 2}, {"b", 3}, {"a", 4}, {"", 5}};
  EXPECT_EQ(canon(object), "{\"\":5,\"a\":4,\"b\":3,\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\x81\":1}");
}

// Rule: no insignificant whitespace, nested values canonical too.
TEST(CanonicalJson, NestedValuesHaveNoWhitespace) {
  json value = json::parse(R"( { "z" : [ 1 , true , null , { "y" : "x" , "a" : false } ] ,
                                 "entry" : { "id" : 7 } } )");
  EXPECT_EQ(canon(value), R"({"entry":{"id":7},"z":[1,true,null,{"a":false,"y":"x"}]})");
}

// Rule: only the mandatory escapes; other characters, even U+2028 and '/', stay literal.
TEST(CanonicalJson, StringsUseOnlyMandatoryEscapes) {
  json value = std::string("q\"b\\s/\b\f\n\r\t\x01\x1f\xE2\x80\xA8\xC3\xA9");
  EXPECT_EQ(canon(value), "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\xE2\x80\xA8\xC3\xA9\"");
}

// Rule: an integer that verifiers, reading it as a double, would change is refused; one that a
// double holds exactly is written as the double is.
TEST(CanonicalJson, IntegersThatDoublesCannotHoldAreRefused) {
  EXPECT_EQ(canon(json(9007199254740992LL)), "9007199254740992");
  EXPECT_EQ(canon(json(-9007199254740992LL)), "-9007199254740992");
  EXPECT_EQ(canon(json(1152921504606847000ULL)), "1152921504606847000");
  EXPECT_FALSE(canonical(json(9007199254740993LL)).ok());
  EXPECT_FALSE(canonical(json(18446744073709551615ULL)).ok());
  auto error = canonical(json{{"a", {{"b", 9007199254740993LL}}}});
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().context(), "$.a.b");
}

// Rule: NaN and infinities have no JSON form.
TEST(CanonicalJson, NonFiniteNumbersAreRefused) {
  EXPECT_FALSE(canonical(json(std::numeric_limits<double>::infinity())).ok());
  EXPECT_FALSE(canonical(json(std::numeric_limits<double>::quiet_NaN())).ok());
}

// Rule: strings and names must be valid UTF-8.
TEST(CanonicalJson, InvalidUtf8IsRefused) {
  auto bad_value = canonical(json{{"name", std::string("caf\xE9")}});
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(bad_value.error().context(), "$.name");
  EXPECT_FALSE(canonical(json{{std::string("\xC0\xAF"), 1}}).ok());
}

// Regression (found by fuzz_json): a large double is written without a fraction or exponent,
// reads back as an integer, and must then canonicalise to the same bytes.
TEST(CanonicalJson, RegressionLargeDoubleStaysAFixedPoint) {
  const std::string once = canon(json::parse("[10111111110111111.11]"));
  EXPECT_EQ(once, "[10111111110111112]");
  EXPECT_EQ(canon(json::parse(once)), once);
}

// Rule: canonical output parses back to an equal value, and is a fixed point.
TEST(CanonicalJson, OutputIsAFixedPoint) {
  json value = {{"decision", "refused"}, {"criteria", {"criterion_2"}}, {"value", 1250000.5}};
  const std::string once = canon(value);
  EXPECT_EQ(canon(json::parse(once)), once);
}

TEST(ParseStrict, AcceptsOrdinaryJson) {
  auto parsed = parse_strict(R"({"a": [1, 2, {"b": "c"}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed.value()["a"][2]["b"], "c");
}

// Rule: duplicate names are refused, at any depth, instead of silently keeping the last.
TEST(ParseStrict, RefusesDuplicateNames) {
  EXPECT_FALSE(parse_strict(R"({"a": 1, "a": 2})").ok());
  EXPECT_FALSE(parse_strict(R"({"x": {"a": 1, "a": 2}})").ok());
  EXPECT_TRUE(parse_strict(R"({"x": {"a": 1}, "y": {"a": 2}})").ok());
  EXPECT_TRUE(parse_strict(R"([{"a": 1}, {"a": 2}])").ok());
}

TEST(ParseStrict, RefusesMalformedAndTrailingText) {
  for (const char* text : {"", "{", "{\"a\":}", "[1,]", "{} {}", "nul", "\"\xFF\""}) {
    auto parsed = parse_strict(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().kind(), ErrorKind::invalid_argument);
    }
  }
}

// Regression (found by fuzz_json): a number beyond the range of a double made nlohmann throw
// out_of_range, which escaped parse_strict and ended the process.
TEST(ParseStrict, RegressionNumberOverflowIsAnErrorNotACrash) {
  for (const char* text : {"1e2102", "[1e2102]", "{\"a\": -1e999}"}) {
    auto parsed = parse_strict(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().kind(), ErrorKind::invalid_argument) << text;
  }
}

TEST(ParseStrict, EnforcesDepthAndSizeLimits) {
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  EXPECT_FALSE(parse_strict(deep).ok());
  EXPECT_TRUE(parse_strict(deep, {.max_bytes = 1024, .max_depth = 128}).ok());
  auto too_big = parse_strict("[1,2,3]", {.max_bytes = 3, .max_depth = 8});
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().kind(), ErrorKind::resource_exhausted);
}

}  // namespace
}  // namespace candor::json
