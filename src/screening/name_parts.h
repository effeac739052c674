// Pieces of name preparation shared between names.cc, name_readings.cc and name_tables.cc.
// Internal to the screening library.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "screening/names.h"

namespace candor::screening {

// tokens[begin, begin + length) joined by spaces.
std::string join_words(const std::vector<std::string>& tokens, std::size_t begin,
                       std::size_t length);

// Digits written for letters read as the letters ("g3nnady": "gennady"), or nothing.
std::optional<std::vector<NameToken>> digits_as_letters(const std::vector<NameToken>& tokens);
// Runs of single letters read as one word ("n s o": "nso"), or nothing.
std::optional<std::vector<NameToken>> initialisms_merged(const std::vector<NameToken>& tokens);
// The Arabic article split off its word ("altkryty": "al tkryty").
void split_article(std::vector<NameToken>& tokens);
// Number words, ordinals and Roman numerals read as numbers ("second": "2").
void read_numbers(std::vector<NameToken>& tokens);
// An organisation's name read by its initials, whole and with its last word kept.
std::vector<std::vector<NameToken>> acronym_readings(const std::vector<NameToken>& tokens);

}  // namespace candor::screening
