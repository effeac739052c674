// Labelled name pairs for the screening development set (bench/screening_devset.cc).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "screening/entity.h"

namespace candor::bench {

struct Pair {
  std::string a;
  std::string b;
  screening::EntityType type = screening::EntityType::unknown;
  bool match = false;
  std::string phenomenon;
  std::string source;
};

// Pairs made from the lists' real names by the variations of NAME_MATCHING.md's table, each
// tagged with its row: a listed name against itself written another way (positives) and
// against a changed name that names someone else (negatives).
std::vector<Pair> phenomena_pairs(const std::vector<screening::SanctionsList>& lists,
                                  std::mt19937& random);

// One typing error in one word of `name`, as a person at a keyboard makes them: two letters
// swapped, one dropped, doubled or replaced by a neighbour, the first letter included.
std::string with_typo(const std::string& name, std::mt19937& random);

}  // namespace candor::bench
