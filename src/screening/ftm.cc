// FollowTheMoney entities as JSON lines (OpenSanctions' export format): one object a line
// with "id", "schema" and "properties" (every value a list of strings). Parties are the
// Person, Organization, Company, LegalEntity, PublicBody, Vessel and Airplane entities;
// Sanction entities add their programme to the party they name; other schemas (payments,
// addresses, ownership) are read for validity and otherwise left aside.
#include <nlohmann/json.hpp>

#include <unordered_map>

#include "core/country.h"
#include "screening/importers.h"

namespace candor::screening {
namespace {

using nlohmann::json;

EntityType party_type(const std::string& schema, bool& is_party) {
  is_party = true;
  if (schema == "Person") return EntityType::person;
  if (schema == "Organization" || schema == "Company" || schema == "LegalEntity" ||
      schema == "PublicBody") {
    return EntityType::organization;
  }
  if (schema == "Vessel") return EntityType::vessel;
  if (schema == "Airplane") return EntityType::aircraft;
  is_party = false;
  return EntityType::unknown;
}

// The property's values; an error when it is not a list of strings.
Result<std::vector<std::string>> values(const json& properties, const char* key,
                                        const std::string& where) {
  std::vector<std::string> out;
  const auto found = properties.find(key);
  if (found == properties.end()) return out;
  if (!found->is_array())
    return Error::invalid_argument(std::string(key) + " must be a list", where);
  for (const auto& v : *found) {
    if (!v.is_string()) {
      return Error::invalid_argument(std::string(key) + " must be a list of strings", where);
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<Entity> read_party(const json& object, EntityType type, const std::string& where) {
  Entity entity;
  entity.type = type;
  entity.entity_id = object["id"].get<std::string>();
  const json& p = object["properties"];
  for (const char* key : {"name", "alias", "previousName"}) {
    for (auto& name : CANDOR_TRY(values(p, key, where))) {
      entity.names.push_back({std::move(name), NameStrength::strong});
    }
  }
  for (auto& name : CANDOR_TRY(values(p, "weakAlias", where))) {
    entity.names.push_back({std::move(name), NameStrength::weak});
  }
  if (entity.names.empty()) {
    // A person known only by name parts.
    std::string composed;
    for (const char* key : {"firstName", "middleName", "lastName"}) {
      for (const auto& part : CANDOR_TRY(values(p, key, where))) {
        if (!composed.empty()) composed += ' ';
        composed += part;
        break;
      }
    }
    if (!composed.empty()) entity.names.push_back({composed, NameStrength::strong});
  }
  if (entity.names.empty()) return Error::invalid_argument("a party without a name", where);
  for (auto& date : CANDOR_TRY(values(p, "birthDate", where))) {
    if (date.size() > 10) date.resize(10);
    if (date.size() >= 4) entity.birth_dates.push_back(std::move(date));
  }
  for (const char* key : {"nationality", "citizenship", "country", "jurisdiction"}) {
    for (const auto& code : CANDOR_TRY(values(p, key, where))) {
      auto parsed = CountryCode::parse(code);
      if (!parsed.ok()) continue;  // FtM also uses regions ("eu", "suhh") that are not ISO.
      std::string alpha2(parsed->alpha2());
      bool have = false;
      for (const auto& c : entity.countries) have = have || c == alpha2;
      if (!have) entity.countries.push_back(std::move(alpha2));
    }
  }
  static const std::pair<const char*, const char*> kIdentifiers[] = {
      {"passportNumber", "passport"},
      {"idNumber", "national_id"},
      {"innCode", "inn"},
      {"ogrnCode", "ogrn"},
      {"registrationNumber", "registration"},
      {"taxNumber", "tax"},
      {"imoNumber", "imo"},
      {"leiCode", "lei"}};
  for (const auto& [key, label] : kIdentifiers) {
    for (auto& number : CANDOR_TRY(values(p, key, where))) {
      entity.identifiers.push_back({label, std::move(number), {}});
    }
  }
  return entity;
}

}  // namespace

Result<SanctionsList> import_ftm(std::string_view text, std::string_view list_name) {
  SanctionsList list;
  list.name = std::string(list_name);
  std::unordered_map<std::string, std::size_t> by_id;
  std::vector<std::pair<std::string, std::string>> programmes;  // (entity id, programme)
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(line_number);
    json object = json::parse(line, nullptr, false);
    if (object.is_discarded()) return Error::invalid_argument("not valid JSON", where);
    if (!object.is_object() || !object.contains("id") || !object["id"].is_string() ||
        !object.contains("schema") || !object["schema"].is_string()) {
      return Error::invalid_argument("each line must be an object with \"id\" and \"schema\"",
                                     where);
    }
    if (!object.contains("properties")) object["properties"] = json::object();
    if (!object["properties"].is_object()) {
      return Error::invalid_argument("\"properties\" must be an object", where);
    }
    const std::string schema = object["schema"].get<std::string>();
    bool is_party = false;
    const EntityType type = party_type(schema, is_party);
    if (is_party) {
      Entity entity = CANDOR_TRY(read_party(object, type, where));
      if (by_id.contains(entity.entity_id)) {
        return Error::invalid_argument("entity " + entity.entity_id + " appears twice", where);
      }
      by_id.emplace(entity.entity_id, list.entities.size());
      list.entities.push_back(std::move(entity));
    } else if (schema == "Sanction") {
      const json& p = object["properties"];
      const auto targets = CANDOR_TRY(values(p, "entity", where));
      auto programme = CANDOR_TRY(values(p, "program", where));
      if (programme.empty()) programme = CANDOR_TRY(values(p, "authority", where));
      for (const auto& target : targets) {
        for (const auto& name : programme) programmes.emplace_back(target, name);
      }
    }
  }
  for (const auto& [target, name] : programmes) {
    const auto found = by_id.find(target);
    if (found == by_id.end()) continue;
    auto& programs = list.entities[found->second].programs;
    if (std::find(programs.begin(), programs.end(), name) == programs.end())
      programs.push_back(name);
  }
  return list;
}

}  // namespace candor::screening
