// The UN Security Council consolidated list, from its own XML schema
// (https://scsanctions.un.org/resources/xml/en/consolidated.xml).
#include <pugixml.hpp>

#include "screening/fields.h"
#include "screening/importers.h"

namespace candor::screening {
namespace {

std::string text_of(const pugi::xml_node& node, const char* child) {
  return std::string(trim_space(node.child_value(child)));
}

void read_aliases(const pugi::xml_node& node, const char* element, Entity& entity) {
  for (const auto alias : node.children(element)) {
    const std::string name = text_of(alias, "ALIAS_NAME");
    if (name.empty()) continue;
    const bool weak = text_of(alias, "QUALITY") == "Low";
    entity.names.push_back({name, weak ? NameStrength::weak : NameStrength::strong});
  }
}

void read_birth_dates(const pugi::xml_node& node, Entity& entity) {
  for (const auto dob : node.children("INDIVIDUAL_DATE_OF_BIRTH")) {
    std::string date = text_of(dob, "DATE");
    if (date.size() > 10) date.resize(10);  // Some carry a time part.
    if (date.empty()) date = text_of(dob, "YEAR");
    if (date.empty()) date = text_of(dob, "FROM_YEAR");  // A range: its first year.
    if (!date.empty()) entity.birth_dates.push_back(date);
  }
}

void read_documents(const pugi::xml_node& node, Entity& entity) {
  for (const auto doc : node.children("INDIVIDUAL_DOCUMENT")) {
    const std::string number = text_of(doc, "NUMBER");
    if (number.empty()) continue;
    std::string country = text_of(doc, "ISSUING_COUNTRY");
    if (country.empty()) country = text_of(doc, "COUNTRY_OF_ISSUE");
    entity.identifiers.push_back({text_of(doc, "TYPE_OF_DOCUMENT"), number, country});
  }
}

Entity read_individual(const pugi::xml_node& node) {
  Entity entity;
  entity.type = EntityType::person;
  entity.entity_id = text_of(node, "REFERENCE_NUMBER");
  std::string full;
  for (const char* part : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
    const std::string p = text_of(node, part);
    if (p.empty()) continue;
    if (!full.empty()) full += ' ';
    full += p;
  }
  entity.names.push_back({full, NameStrength::strong});
  if (auto original = text_of(node, "NAME_ORIGINAL_SCRIPT"); !original.empty()) {
    entity.names.push_back({original, NameStrength::strong});
  }
  read_aliases(node, "INDIVIDUAL_ALIAS", entity);
  for (const auto nationality : node.children("NATIONALITY")) {
    for (const auto v : nationality.children("VALUE")) add_country_name(v.child_value(), entity);
  }
  read_birth_dates(node, entity);
  read_documents(node, entity);
  if (auto program = text_of(node, "UN_LIST_TYPE"); !program.empty())
    entity.programs.push_back(program);
  return entity;
}

Entity read_entity(const pugi::xml_node& node) {
  Entity entity;
  entity.type = EntityType::organization;
  entity.entity_id = text_of(node, "REFERENCE_NUMBER");
  entity.names.push_back({text_of(node, "FIRST_NAME"), NameStrength::strong});
  read_aliases(node, "ENTITY_ALIAS", entity);
  for (const auto address : node.children("ENTITY_ADDRESS"))
    add_country_name(text_of(address, "COUNTRY"), entity);
  if (auto program = text_of(node, "UN_LIST_TYPE"); !program.empty())
    entity.programs.push_back(program);
  return entity;
}

}  // namespace

Result<SanctionsList> import_un_xml(std::string_view xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return Error::invalid_argument(std::string("malformed XML: ") + parsed.description(),
                                   "offset " + std::to_string(parsed.offset));
  }
  const pugi::xml_node root = doc.child("CONSOLIDATED_LIST");
  if (!root)
    return Error::invalid_argument("not a UN consolidated list: no CONSOLIDATED_LIST element");
  SanctionsList list;
  list.name = "UN Security Council";
  std::string generated = root.attribute("dateGenerated").value();
  list.published = generated.substr(0, 10);
  for (const auto node : root.child("INDIVIDUALS").children("INDIVIDUAL")) {
    Entity e = read_individual(node);
    if (e.entity_id.empty() || e.names[0].text.empty()) {
      return Error::invalid_argument("an INDIVIDUAL lacks REFERENCE_NUMBER or name",
                                     "offset " + std::to_string(node.offset_debug()));
    }
    list.entities.push_back(std::move(e));
  }
  for (const auto node : root.child("ENTITIES").children("ENTITY")) {
    Entity e = read_entity(node);
    if (e.entity_id.empty() || e.names[0].text.empty()) {
      return Error::invalid_argument("an ENTITY lacks REFERENCE_NUMBER or name",
                                     "offset " + std::to_string(node.offset_debug()));
    }
    list.entities.push_back(std::move(e));
  }
  return list;
}

}  // namespace candor::screening
