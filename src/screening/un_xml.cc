// The UN Security Council consolidated list, from its own XML schema
// (https://scsanctions.un.org/resources/xml/en/consolidated.xml).
#include <pugixml.hpp>

#include "screening/fields.h"
#include "screening/importers.h"
#include "screening/xml_fields.h"

namespace candor::screening {
namespace {

void read_aliases(const pugi::xml_node& node, const char* element, Entity& entity) {
  for (const auto alias : node.children(element)) {
    const std::string name = xml_text(alias, "ALIAS_NAME");
    if (name.empty()) continue;
    const bool weak = xml_text(alias, "QUALITY") == "Low";
    entity.names.push_back({name, weak ? NameStrength::weak : NameStrength::strong});
  }
}

void read_birth_dates(const pugi::xml_node& node, Entity& entity) {
  for (const auto dob : node.children("INDIVIDUAL_DATE_OF_BIRTH")) {
    std::string date = xml_text(dob, "DATE");
    if (date.size() > 10) date.resize(10);  // Some carry a time part.
    if (date.empty()) date = xml_text(dob, "YEAR");
    if (date.empty()) date = xml_text(dob, "FROM_YEAR");  // A range: its first year.
    if (!date.empty()) entity.birth_dates.push_back(date);
  }
}

void read_documents(const pugi::xml_node& node, Entity& entity) {
  for (const auto doc : node.children("INDIVIDUAL_DOCUMENT")) {
    const std::string number = xml_text(doc, "NUMBER");
    if (number.empty()) continue;
    std::string country = xml_text(doc, "ISSUING_COUNTRY");
    if (country.empty()) country = xml_text(doc, "COUNTRY_OF_ISSUE");
    entity.identifiers.push_back({xml_text(doc, "TYPE_OF_DOCUMENT"), number, country});
  }
}

Entity read_individual(const pugi::xml_node& node) {
  Entity entity;
  entity.type = EntityType::person;
  entity.entity_id = xml_text(node, "REFERENCE_NUMBER");
  std::string full;
  for (const char* part : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
    const std::string p = xml_text(node, part);
    if (p.empty()) continue;
    if (!full.empty()) full += ' ';
    full += p;
  }
  entity.names.push_back({full, NameStrength::strong});
  if (auto original = xml_text(node, "NAME_ORIGINAL_SCRIPT"); !original.empty()) {
    entity.names.push_back({original, NameStrength::strong});
  }
  read_aliases(node, "INDIVIDUAL_ALIAS", entity);
  for (const auto nationality : node.children("NATIONALITY")) {
    for (const auto v : nationality.children("VALUE")) add_country_name(v.child_value(), entity);
  }
  read_birth_dates(node, entity);
  read_documents(node, entity);
  if (auto program = xml_text(node, "UN_LIST_TYPE"); !program.empty())
    entity.programs.push_back(program);
  return entity;
}

Entity read_entity(const pugi::xml_node& node) {
  Entity entity;
  entity.type = EntityType::organization;
  entity.entity_id = xml_text(node, "REFERENCE_NUMBER");
  entity.names.push_back({xml_text(node, "FIRST_NAME"), NameStrength::strong});
  read_aliases(node, "ENTITY_ALIAS", entity);
  for (const auto address : node.children("ENTITY_ADDRESS"))
    add_country_name(xml_text(address, "COUNTRY"), entity);
  if (auto program = xml_text(node, "UN_LIST_TYPE"); !program.empty())
    entity.programs.push_back(program);
  return entity;
}

}  // namespace

Result<SanctionsList> import_un_xml(std::string_view xml) {
  pugi::xml_document doc;
  const pugi::xml_node root = CANDOR_TRY(load_xml_root(doc, xml, "CONSOLIDATED_LIST"));
  SanctionsList list;
  list.name = "UN Security Council";
  list.published = std::string(root.attribute("dateGenerated").value()).substr(0, 10);
  for (const auto node : root.child("INDIVIDUALS").children("INDIVIDUAL")) {
    CANDOR_TRY(add_checked_entity(list, read_individual(node), node, "an INDIVIDUAL"));
  }
  for (const auto node : root.child("ENTITIES").children("ENTITY")) {
    CANDOR_TRY(add_checked_entity(list, read_entity(node), node, "an ENTITY"));
  }
  return list;
}

}  // namespace candor::screening
