#include "core/utf8.h"

#include <gtest/gtest.h>

namespace candor::utf8 {
namespace {

struct Case {
  const char* name;
  std::string text;
  std::optional<std::size_t> first_invalid;
};

// Rule: RFC 3629 strictness; each case names the form it checks.
TEST(Utf8, ValidatesStrictly) {
  const Case cases[] = {
      {"ascii", "Candor", std::nullopt},
      {"two-byte", "Caf\xC3\xA9", std::nullopt},
      {"three-byte", "\xE2\x82\xAC", std::nullopt},
      {"four-byte", "\xF0\x9F\x98\x80", std::nullopt},
      {"lone continuation", "a\x80", 1},
      {"overlong two-byte", "\xC0\xAF", 0},
      {"overlong three-byte", "\xE0\x80\xAF", 0},
      {"overlong four-byte", "\xF0\x80\x80\xAF", 0},
      {"surrogate", "ab\xED\xA0\x80", 2},
      {"past U+10FFFF", "\xF4\x90\x80\x80", 0},
      {"truncated", "\xE2\x82", 0},
      {"bad lead byte", "\xFF", 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(first_invalid(c.text), c.first_invalid) << c.name;
  }
}

TEST(Utf8, DecodesCodePoints) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  std::size_t pos = 0;
  EXPECT_EQ(decode(text, pos), U'a');
  EXPECT_EQ(decode(text, pos), U'\u00E9');
  EXPECT_EQ(decode(text, pos), U'\u20AC');
  EXPECT_EQ(decode(text, pos), U'\U0001F600');
  EXPECT_EQ(pos, text.size());
}

}  // namespace
}  // namespace candor::utf8
