// Importers of sanctions and denied-party lists, each from its publisher's own format. An
// importer reads the whole input or fails: a malformed file gives an error with its line or
// offset, and nothing is loaded by halves.
#pragma once

#include <string_view>

#include "core/error.h"
#include "screening/entity.h"

namespace candor::screening {

// OFAC legacy CSV: the sdn file, with the alt (aliases) and add (addresses) files, which
// may be empty. Remarks give dates of birth, nationalities, identifiers and weak aliases.
Result<SanctionsList> import_ofac_csv(std::string_view sdn, std::string_view alt,
                                      std::string_view add, std::string_view list_name);

// OFAC's sdnList XML (SDN and consolidated non-SDN lists share the schema). Aliases keep
// OFAC's strong/weak category. Errors give the byte offset.
Result<SanctionsList> import_ofac_xml(std::string_view xml, std::string_view list_name);

// The UN Security Council consolidated list XML (CONSOLIDATED_LIST with INDIVIDUALS and
// ENTITIES). Aliases of quality "Low" are weak. Errors give the byte offset.
Result<SanctionsList> import_un_xml(std::string_view xml);

// The EU Financial Sanctions File XML (schema 1.1, <export> of <sanctionEntity>). Names
// with strong="false" are weak. Errors give the byte offset.
Result<SanctionsList> import_eu_xml(std::string_view xml);

// FollowTheMoney JSON lines (OpenSanctions): parties (Person, Organization, Company,
// LegalEntity, PublicBody, Vessel, Airplane) with names, aliases (weakAlias weak), birth
// dates, countries and identifiers; Sanction entities add programmes. Errors give the line.
Result<SanctionsList> import_ftm(std::string_view text, std::string_view list_name);

// A plain CSV any authority can write: a header with at least `name`, and optionally `id`,
// `aliases`, `type` (person, organization, vessel, aircraft), `country`, `dob` and
// `identifiers` ("passport:A123"). Several values in one cell are separated by ';'.
Result<SanctionsList> import_plain_csv(std::string_view text, std::string_view list_name);

}  // namespace candor::screening
