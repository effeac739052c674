// String measures for comparing name tokens, all on lower-case ASCII (normalise_name's output).
#pragma once

#include <string>
#include <string_view>

namespace candor::screening {

// Jaro-Winkler similarity in [0, 1], prefix scale 0.1 over at most 4 characters.
double jaro_winkler(std::string_view a, std::string_view b);

// Levenshtein distance, or limit + 1 as soon as the distance is known to exceed limit.
int bounded_levenshtein(std::string_view a, std::string_view b, int limit);

// A sound key for spelling variants of one name across transliterations: "mohammed",
// "muhammad" and "mukhamed" share one key, as do "jong" and "jeong". Consonant digraphs are
// folded (kh, ph, sh...), doubled letters collapse and every run of vowels becomes one 'a'.
std::string phonetic_key(std::string_view token);

// The consonants of the phonetic key, for names written in scripts that leave short vowels
// out (Arabic, Hebrew, Persian, Thai as ICU romanises it): "mhmd" and "mohamed" both give
// "mhmd". With weak_w set, 'w' and 'y' are treated as vowels ("mhmwd" ~ "mahmoud"),
// otherwise as the consonant 'v' ("dwd" ~ "david").
std::string skeleton_key(std::string_view token, bool weak_w);

}  // namespace candor::screening
