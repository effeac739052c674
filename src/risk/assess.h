// The human-rights risk assessment (Art. 15 of Regulation (EU) 2021/821; Common Position
// 2008/944/CFSP criterion 2): every conclusion traced to named evidence. The rules are in
// docs/risk-methodology.md; same case and same data version give the same output.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/error.h"
#include "risk/snapshot.h"

namespace candor::risk {

struct Party {
  std::string name;
  std::string country;  // alpha-2, may be empty
};

struct CaseItem {
  std::vector<std::string> control_entries;  // "4D004", "5A001.j", "Art. 5"
  std::string description;
};

// A screening hit handed in from the screening module.
struct ScreeningHit {
  std::string party;
  std::string list;
  std::string entity_id;
  double score = 0.0;
};

struct Case {
  std::string destination;  // alpha-2
  Party end_user;
  std::string end_user_type;  // intelligence, police, military, other_government,
                              // telecom_operator, private_company, research, individual
  std::vector<CaseItem> items;
  std::vector<std::string> red_flags;
  Party consignee;
  std::vector<Party> intermediaries;
  std::vector<ScreeningHit> screening_hits;
  bool armed_conflict = false;
};

// Reads the case JSON of `candor assess --case`. Errors: invalid_argument naming the field
// ("end_user.type: must be one of ...").
Result<Case> parse_case(const nlohmann::json& json);

// A decision on a comparable case, handed in by the licensing module (issue 6), including
// other member states' denials.
struct PastDecision {
  std::string reference;     // licence or denial number
  std::string authority;     // "DE BAFA", ...
  std::string outcome;       // "granted", "refused", ...
  std::string date;          // YYYY-MM-DD
  std::string entry_family;  // "4D004", "5A001", ...
  std::string destination;
  std::string end_user_type;
};

class PastDecisionSource {
 public:
  virtual ~PastDecisionSource() = default;
  // Decisions on the same entry family and destination, or the same end-user type there.
  virtual std::vector<PastDecision> comparable(const Case& c) const = 0;
};

struct Source {
  std::string publisher;
  int year = 0;
  std::string url;
};

struct Reason {
  std::string factor;   // "destination_record", "misuse_same_end_user", ...
  std::string text;     // One sentence an officer can paste.
  double weight = 0.0;  // Points added to the risk score.
  std::vector<Source> sources;
};

struct Assessment {
  std::string level;           // low | elevated | high | clear_risk
  std::string recommendation;  // approve | approve_with_conditions | refer | deny
  double score = 0.0;          // The sum of the reasons' weights.
  std::vector<std::string> criteria;
  std::vector<std::string> conditions;
  std::vector<Reason> reasons;
  std::vector<std::string> missing;  // Indicators the destination lacks.
  std::vector<PastDecision> past_decisions;
  std::string data_version;
};

Assessment assess(const Case& c, const Snapshot& data, const PastDecisionSource* past = nullptr);

nlohmann::json to_json(const Assessment& assessment);
std::string to_text(const Assessment& assessment, const Case& c);

}  // namespace candor::risk
