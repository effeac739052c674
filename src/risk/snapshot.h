// The data an assessment reads: the newest value of every indicator for every country, and
// the misuse-evidence records. Kept as two CSV files (data/risk/indicators.csv and
// data/risk/evidence.csv) that `candor import` refreshes from the publishers' files; the
// repository's copy is compiled into `candor` so that `candor assess` works out of the box.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "risk/evidence.h"
#include "risk/indicators.h"

namespace candor::risk {

struct Snapshot {
  std::vector<IndicatorValue> indicators;  // One per (country, indicator): the newest.
  std::vector<EvidenceRecord> evidence;
  std::string version;  // "risk@" + the first 12 hex digits of the files' SHA-256.

  // The compiled-in copy.
  static const Snapshot& builtin();
  // The two files in `folder`; a missing file counts as empty. Errors name file and line.
  static Result<Snapshot> load_folder(const std::string& folder);
  static Result<Snapshot> parse(std::string_view indicators_csv, std::string_view evidence_csv);

  // Writes both files into `folder`, each replaced whole once written.
  Result<void> save_folder(const std::string& folder) const;

  // Adds values: per country and indicator, the newer of the held and the new one stays.
  void merge_indicators(const std::vector<IndicatorValue>& values);
  // Adds records, replacing those with the same id.
  void merge_evidence(const std::vector<EvidenceRecord>& records);

  std::vector<const IndicatorValue*> for_country(const std::string& alpha2) const;
};

std::string to_indicators_csv(const std::vector<IndicatorValue>& values);

}  // namespace candor::risk
