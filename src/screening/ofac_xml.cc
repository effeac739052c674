// OFAC's sdnList XML schema
// (https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XSD).
#include <pugixml.hpp>

#include "screening/fields.h"
#include "screening/importers.h"
#include "screening/remarks.h"
#include "screening/xml_fields.h"

namespace candor::screening {
namespace {

std::string full_name(const pugi::xml_node& node) {
  std::string first = xml_text(node, "firstName");
  std::string last = xml_text(node, "lastName");
  if (first.empty()) return last;
  if (last.empty()) return first;
  return first + " " + last;
}

EntityType entity_type(const std::string& sdn_type) {
  if (sdn_type == "Individual") return EntityType::person;
  if (sdn_type == "Vessel") return EntityType::vessel;
  if (sdn_type == "Aircraft") return EntityType::aircraft;
  if (sdn_type == "Entity") return EntityType::organization;
  return EntityType::unknown;
}

// "04/06/2018" (month first, as OFAC writes it) -> "2018-04-06".
std::string publish_date(const std::string& text) {
  if (text.size() != 10 || text[2] != '/' || text[5] != '/') return text;
  return text.substr(6, 4) + "-" + text.substr(0, 2) + "-" + text.substr(3, 2);
}

Entity read_entry(const pugi::xml_node& node) {
  Entity entity;
  entity.entity_id = xml_text(node, "uid");
  entity.type = entity_type(xml_text(node, "sdnType"));
  entity.names.push_back({full_name(node), NameStrength::strong});
  for (const auto aka : node.child("akaList").children("aka")) {
    const std::string name = full_name(aka);
    if (name.empty()) continue;
    const bool weak = xml_text(aka, "category") == "weak";
    entity.names.push_back({name, weak ? NameStrength::weak : NameStrength::strong});
  }
  for (const auto program : node.child("programList").children("program")) {
    entity.programs.emplace_back(program.child_value());
  }
  for (const auto dob : node.child("dateOfBirthList").children("dateOfBirthItem")) {
    const std::string date = parse_loose_date(xml_text(dob, "dateOfBirth"));
    if (!date.empty()) entity.birth_dates.push_back(date);
  }
  for (const char* list : {"nationalityList", "citizenshipList"}) {
    for (const auto item : node.child(list).children())
      add_country_name(xml_text(item, "country"), entity);
  }
  for (const auto address : node.child("addressList").children("address")) {
    add_country_name(xml_text(address, "country"), entity);
  }
  add_country_name(xml_text(node.child("vesselInfo"), "vesselFlag"), entity);
  for (const auto id : node.child("idList").children("id")) {
    const std::string type = xml_text(id, "idType");
    // Not identifiers: OFAC's notes and links share the idList.
    if (type.starts_with("Additional Sanctions Information") ||
        type.starts_with("For more information")) {
      continue;
    }
    const std::string number = xml_text(id, "idNumber");
    if (!number.empty()) entity.identifiers.push_back({type, number, xml_text(id, "idCountry")});
  }
  return entity;
}

}  // namespace

Result<SanctionsList> import_ofac_xml(std::string_view xml, std::string_view list_name) {
  pugi::xml_document doc;
  const pugi::xml_node root = CANDOR_TRY(load_xml_root(doc, xml, "sdnList"));
  SanctionsList list;
  list.name = std::string(list_name);
  list.published = publish_date(xml_text(root.child("publshInformation"), "Publish_Date"));
  for (const auto node : root.children("sdnEntry")) {
    CANDOR_TRY(add_checked_entity(list, read_entry(node), node, "an sdnEntry"));
  }
  return list;
}

}  // namespace candor::screening
