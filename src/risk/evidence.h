// Documented misuse of surveillance technology: who used what against whom, where, with the
// sources. Read from Candor's own CSV (what advisers will also add through the web) and from
// the public target lists (Citizen Lab / Amnesty style: one row per target) and the FinFisher
// customer list (SpyFiles 4).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace candor::risk {

// What the technology does, in the terms the assessment compares with the item's capability.
enum class Technology {
  intrusion_software,    // spyware, implants, exploits (4A005, 4D004, 4E001.c)
  network_surveillance,  // IP-network surveillance, monitoring centres (5A001.j)
  mobile_interception,   // IMSI catchers, interception of mobile networks (5A001.f)
  forensic_extraction,   // device forensics (5A004.b)
  other,
};
std::string_view to_string(Technology technology);
Result<Technology> technology_from_string(std::string_view text);

enum class Confidence { confirmed, probable, alleged };
std::string_view to_string(Confidence confidence);
Result<Confidence> confidence_from_string(std::string_view text);

// What a record documents: the technology used against people, or only its purchase.
enum class EvidenceKind { targeting, procurement };
std::string_view to_string(EvidenceKind kind);
Result<EvidenceKind> evidence_kind_from_string(std::string_view text);

struct EvidenceRecord {
  std::string id;  // Stable within its source ("pegasus:ahmed-mansoor-2016").
  EvidenceKind kind = EvidenceKind::targeting;
  std::string country;        // ISO alpha-2 of the state using the technology.
  std::string end_user;       // The agency, when known ("SSB"); may be empty.
  std::string end_user_type;  // intelligence, police, military, ... or empty when unknown.
  std::string vendor;         // "NSO Group", "FinFisher", ...
  Technology technology = Technology::other;
  std::vector<std::string> target_roles;  // journalist, activist, lawyer, opposition, ...
  int year = 0;
  std::vector<std::string> sources;  // URLs
  Confidence confidence = Confidence::alleged;
  std::string summary;
  std::string publisher;  // Who documented it ("Citizen Lab", "WikiLeaks SpyFiles 4").
};

// Candor's evidence CSV. Header: id, kind, country, end_user, end_user_type, vendor, technology,
// target_roles (';'-separated), year, sources (';'-separated URLs), confidence, publisher,
// summary. Errors name the line and field.
Result<std::vector<EvidenceRecord>> import_evidence_csv(std::string_view text);
// Writes records in the same format.
std::string to_evidence_csv(const std::vector<EvidenceRecord>& records);

// A published list of targets (name, role, occurred, operator, sources, attack_result, ...),
// one row per target, as the Pegasus and Candiru lists are. Rows without an operator country
// are left out (the state is not established). `vendor` and `technology` describe the tool.
Result<std::vector<EvidenceRecord>> import_targets_csv(std::string_view text,
                                                       std::string_view vendor,
                                                       std::string_view dataset);

// The FinFisher customer list (tab-separated CODE, COUNTRY, PRODUCT, LICENSE, PRICE): one
// record per customer and product family, country and agency taken from the COUNTRY cell
// ("Qatar SSB") on any of the customer's rows.
Result<std::vector<EvidenceRecord>> import_finfisher_tsv(std::string_view text);

}  // namespace candor::risk
