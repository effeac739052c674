// Readings of Han characters (Chinese characters in Korean and Japanese names), from the
// Unicode Han Database that Debian's unicode-data ships (Unihan_Readings: kHangul,
// kJapaneseKun, kJapaneseOn), compiled in at build time. ICU reads Han as Mandarin pinyin
// only; 金正恩 is "jin zheng en" to ICU but "Kim Jong Un" in every list, and 山田太郎 is
// "Yamada Taro". Internal to screening.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace candor::screening {

struct HanReadings {
  std::vector<char32_t> hangul;       // Korean readings as Hangul syllables, name readings first.
  std::vector<std::string> japanese;  // Kun then on readings, lower-case, long vowels shortened.
};

// The readings of one ideograph; null when the database has none.
const HanReadings* han_readings(char32_t c);

bool is_han(char32_t c);

// Japanese long vowels written short, as in most romanised names: "rou" -> "ro".
std::string shorten_long_vowels(std::string_view reading);

}  // namespace candor::screening
