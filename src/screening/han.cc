#include "screening/han.h"

#include <span>
#include <string_view>
#include <unordered_map>

#include "core/embedded.h"

namespace candor::screening {

std::span<const EmbeddedFile> embedded_han_readings();

namespace {

char32_t decode_one(std::string_view text) {
  if (text.size() >= 3 && (static_cast<unsigned char>(text[0]) >> 4) == 0xE) {
    return (static_cast<char32_t>(text[0] & 0x0F) << 12) |
           (static_cast<char32_t>(text[1] & 0x3F) << 6) | static_cast<char32_t>(text[2] & 0x3F);
  }
  return 0;
}

}  // namespace

std::string shorten_long_vowels(std::string_view reading) {
  std::string out;
  for (const char c : reading) {
    if (!out.empty() && ((c == 'u' && (out.back() == 'o' || out.back() == 'u')) ||
                         (c == 'o' && out.back() == 'o'))) {
      continue;
    }
    out.push_back(c);
  }
  return out;
}

namespace {

using Table = std::unordered_map<char32_t, HanReadings>;

Table load() {
  Table table;
  const std::string_view text = embedded_han_readings().front().content;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    // "5C71\tK\tYAMA", "91D1\tH\t금:0E 김:0N"
    const auto tab1 = line.find('\t');
    if (tab1 == std::string_view::npos || tab1 + 3 > line.size()) continue;
    const char field = line[tab1 + 1];
    const auto code =
        static_cast<char32_t>(std::stoul(std::string(line.substr(0, tab1)), nullptr, 16));
    std::string_view values = line.substr(tab1 + 3);
    HanReadings& entry = table[code];
    std::vector<char32_t> name_readings;
    while (!values.empty()) {
      auto space = values.find(' ');
      const std::string_view value = values.substr(0, space);
      values = space == std::string_view::npos ? std::string_view() : values.substr(space + 1);
      if (field == 'H') {
        const char32_t syllable = decode_one(value);
        if (syllable == 0) continue;
        // ":N" marks a reading used in names; those go first.
        const bool name = value.find('N', 3) != std::string_view::npos;
        (name ? name_readings : entry.hangul).push_back(syllable);
      } else {
        std::string reading;
        for (char c : value) {
          if (c >= 'A' && c <= 'Z') reading.push_back(static_cast<char>(c - 'A' + 'a'));
        }
        if (reading.empty()) continue;
        reading = shorten_long_vowels(reading);
        bool have = false;
        for (const auto& r : entry.japanese) have = have || r == reading;
        if (!have) entry.japanese.push_back(std::move(reading));
      }
    }
    if (!name_readings.empty())
      entry.hangul.insert(entry.hangul.begin(), name_readings.begin(), name_readings.end());
  }
  return table;
}

}  // namespace

const HanReadings* han_readings(char32_t c) {
  static const Table table = load();
  const auto found = table.find(c);
  return found == table.end() ? nullptr : &found->second;
}

bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2EBEF);
}

}  // namespace candor::screening
