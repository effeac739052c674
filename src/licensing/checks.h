// The checks run on every submitted case: classification of each item against the control
// list, screening of each party against the loaded sanctions lists, and the human-rights risk
// assessment. Each result is stored with the versions of the data it used, and can be run
// again when the data changes.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalogue/catalogue.h"
#include "risk/assess.h"
#include "risk/snapshot.h"
#include "screening/index.h"

namespace candor::licensing {

struct CheckInputItem {
  std::string name;
  std::string description;
  std::string declared_entry;  // What the exporter believes applies, may be empty.
  nlohmann::json facts;        // The catalogue's facts, as in `candor classify --item`.
};

struct CheckInputParty {
  std::int64_t id = 0;
  std::string role;  // consignee | end_user | intermediary
  std::string name;
  std::string country;
  std::string kind;  // organisation | person
};

struct ScreeningHitRecord {
  std::int64_t party_id = 0;
  std::string party_name;
  std::string list;
  std::string entity_id;
  std::string matched_name;
  double score = 0.0;
  std::string band;  // review | block
  std::string explanation;
};

struct CheckResult {
  nlohmann::json result;
  nlohmann::json data_versions;
};

class Checks {
 public:
  // `index` may be null: no sanctions lists are loaded, and screening says so (which blocks
  // the decision like a hit until an officer records how the parties were screened).
  Checks(const catalogue::Catalogue& catalogue, const screening::Index* index,
         const risk::Snapshot& snapshot);

  // One entry per item: the classification JSON, with the entry codes that apply.
  CheckResult classify(const std::vector<CheckInputItem>& items) const;
  CheckResult screen(const std::vector<CheckInputParty>& parties,
                     std::vector<ScreeningHitRecord>& hits) const;
  // `added` are the misuse-evidence records officers and advisers entered; they count like
  // the snapshot's own.
  CheckResult assess(const risk::Case& c, const risk::PastDecisionSource* past,
                     const std::vector<risk::EvidenceRecord>& added) const;

  // The control entries an item's classification gives: the entries that apply, else the
  // declared one, else "Art. 5" when the catch-all may apply.
  static std::vector<std::string> entries_of(const nlohmann::json& entry,
                                             const std::string& declared_entry);

  bool screening_available() const { return index_ != nullptr; }
  const catalogue::Catalogue& catalogue() const { return catalogue_; }

 private:
  const catalogue::Catalogue& catalogue_;
  const screening::Index* index_;
  const risk::Snapshot& snapshot_;
};

}  // namespace candor::licensing
