// OFAC's sdnList XML schema
// (https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XSD).
#include <pugixml.hpp>

#include "screening/fields.h"
#include "screening/importers.h"
#include "screening/remarks.h"

namespace candor::screening {
namespace {

std::string text_of(const pugi::xml_node& node, const char* child) {
  return std::string(trim_space(node.child_value(child)));
}

std::string full_name(const pugi::xml_node& node) {
  std::string first = text_of(node, "firstName");
  std::string last = text_of(node, "lastName");
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
  entity.entity_id = text_of(node, "uid");
  entity.type = entity_type(text_of(node, "sdnType"));
  entity.names.push_back({full_name(node), NameStrength::strong});
  for (const auto aka : node.child("akaList").children("aka")) {
    const std::string name = full_name(aka);
    if (name.empty()) continue;
    const bool weak = text_of(aka, "category") == "weak";
    entity.names.push_back({name, weak ? NameStrength::weak : NameStrength::strong});
  }
  for (const auto program : node.child("programList").children("program")) {
    entity.programs.emplace_back(program.child_value());
  }
  for (const auto dob : node.child("dateOfBirthList").children("dateOfBirthItem")) {
    const std::string date = parse_loose_date(text_of(dob, "dateOfBirth"));
    if (!date.empty()) entity.birth_dates.push_back(date);
  }
  for (const char* list : {"nationalityList", "citizenshipList"}) {
    for (const auto item : node.child(list).children())
      add_country_name(text_of(item, "country"), entity);
  }
  for (const auto address : node.child("addressList").children("address")) {
    add_country_name(text_of(address, "country"), entity);
  }
  add_country_name(text_of(node.child("vesselInfo"), "vesselFlag"), entity);
  for (const auto id : node.child("idList").children("id")) {
    const std::string type = text_of(id, "idType");
    // Not identifiers: OFAC's notes and links share the idList.
    if (type.starts_with("Additional Sanctions Information") ||
        type.starts_with("For more information")) {
      continue;
    }
    const std::string number = text_of(id, "idNumber");
    if (!number.empty()) entity.identifiers.push_back({type, number, text_of(id, "idCountry")});
  }
  return entity;
}

}  // namespace

Result<SanctionsList> import_ofac_xml(std::string_view xml, std::string_view list_name) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return Error::invalid_argument(std::string("malformed XML: ") + parsed.description(),
                                   "offset " + std::to_string(parsed.offset));
  }
  const pugi::xml_node root = doc.child("sdnList");
  if (!root) return Error::invalid_argument("not an OFAC sdnList: no sdnList element");
  SanctionsList list;
  list.name = std::string(list_name);
  list.published = publish_date(text_of(root.child("publshInformation"), "Publish_Date"));
  for (const auto node : root.children("sdnEntry")) {
    Entity e = read_entry(node);
    if (e.entity_id.empty() || e.names[0].text.empty()) {
      return Error::invalid_argument("an sdnEntry lacks its uid or name",
                                     "offset " + std::to_string(node.offset_debug()));
    }
    list.entities.push_back(std::move(e));
  }
  return list;
}

}  // namespace candor::screening
