// What a sanctions or denied-party list says about one listed party: every name (strong and
// weak aliases), dates of birth, countries and identifiers, with the list it came from.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace candor::screening {

enum class EntityType { person, organization, vessel, aircraft, unknown };
std::string_view to_string(EntityType type);

// OFAC and the UN mark some aliases as weak ("low quality"): too vague to block on alone.
enum class NameStrength { strong, weak };

struct Name {
  std::string text;
  NameStrength strength = NameStrength::strong;
};

struct Identifier {
  std::string type;  // "passport", "national_id", "registration", "imo", ...
  std::string value;
  std::string country;  // As the list gives it.
};

struct Entity {
  std::string entity_id;  // The list's own id (OFAC ent_num, UN reference number, ...).
  EntityType type = EntityType::unknown;
  std::vector<Name> names;               // names[0] is the primary name.
  std::vector<std::string> birth_dates;  // "YYYY", "YYYY-MM" or "YYYY-MM-DD".
  std::vector<std::string> countries;    // ISO 3166-1 alpha-2 where the list's name maps.
  std::vector<Identifier> identifiers;
  std::vector<std::string> programs;  // Sanctions programmes or regimes.
};

struct SanctionsList {
  std::string name;       // "OFAC SDN", "UN Security Council", ...
  std::string published;  // Publication date as the file states it, or empty.
  std::vector<Entity> entities;
};

}  // namespace candor::screening
