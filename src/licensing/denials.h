// Whether an application is an "essentially identical transaction" to a denial (Art. 16(5)
// Regulation (EU) 2021/821): the same destination, the same or an equivalent control entry,
// and the same or a similar end user. Names are compared as screening compares them (the
// same normalisation, transliteration and token scoring, at the screening threshold), so
// "Ministry of Interior of the UAE" and a transliterated or reordered spelling meet.
//
// Entries are equivalent when one is a sub-entry of the other (5A001.f and 5A001.f.1) or the
// control list puts both in the same cyber-surveillance category (4A005 systems, 4D004
// software and 4E001 technology for intrusion software). Pure functions; no storage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalogue/catalogue.h"

namespace candor::licensing {

struct NamedParty {
  std::string name;
  std::string country;  // ISO alpha-2, may be empty.
};

struct TransactionFacts {
  std::string destination;
  std::vector<std::string> control_entries;
  std::vector<NamedParty> end_users;
};

struct DenialFacts {
  std::string destination;
  std::vector<std::string> control_entries;
  NamedParty end_user;
};

struct DenialMatch {
  std::string entries;   // "4D004 = 4D004" or "4A005 ~ 4D004 (both intrusion software)"
  std::string end_user;  // The application's end user that matched.
  double end_user_score = 0.0;
  std::string end_user_explanation;  // As screening explains a hit.

  nlohmann::json to_json() const;
  std::string summary() const;  // One sentence for the officer.
};

// The reason two entries are the same or equivalent, or nullopt.
std::optional<std::string> equivalent_entries(const std::string& a, const std::string& b,
                                              const catalogue::Catalogue& catalogue);

// The end-user score from which names are "similar": screening's review threshold.
double similar_name_threshold();

std::optional<DenialMatch> match_denial(const TransactionFacts& transaction,
                                        const DenialFacts& denial,
                                        const catalogue::Catalogue& catalogue);

}  // namespace candor::licensing
