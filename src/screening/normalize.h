// Name normalisation for matching: Unicode NFKC, transliteration of any script to Latin and
// then to ASCII (ICU's "Any-Latin; Latin-ASCII"), case folding, and splitting into tokens at
// spaces, punctuation and hyphens. "Мухаммад аль-Асад" and "MUHAMMAD AL-ASAD" give the same
// tokens. Thread-safe: each thread keeps its own ICU transliterator.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace candor::screening {

// The name as lower-case ASCII words separated by single spaces.
std::string normalise_name(std::string_view name);

// The words of normalise_name(name).
std::vector<std::string> name_tokens(std::string_view name);

}  // namespace candor::screening
