// The EU Financial Sanctions File (FSF) XML, schema 1.1 (xmlFullSanctionsList_1_1): an
// <export> root with one <sanctionEntity> per listed person or entity, whose names,
// citizenships, birth dates, identifications and addresses are attributes of child elements.
// Elements are matched by local name so that the file's default namespace does not matter.
#include <pugixml.hpp>

#include <cstring>

#include "core/country.h"
#include "screening/fields.h"
#include "screening/importers.h"
#include "screening/xml_fields.h"

namespace candor::screening {
namespace {

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

template <typename F>
void for_children(const pugi::xml_node& node, std::string_view name, F&& f) {
  for (const auto child : node.children()) {
    if (child.type() == pugi::node_element && local_name(child) == name) f(child);
  }
}

std::string attribute(const pugi::xml_node& node, const char* name) {
  return std::string(trim_space(node.attribute(name).value()));
}

void add_country_code(const std::string& code, Entity& entity) {
  if (code.size() != 2 || code == "00") return;  // "00" is the FSF's "unknown".
  auto parsed = CountryCode::parse(code);
  if (!parsed.ok()) return;
  std::string alpha2(parsed->alpha2());
  for (const auto& have : entity.countries) {
    if (have == alpha2) return;
  }
  entity.countries.push_back(std::move(alpha2));
}

std::string birth_date(const pugi::xml_node& node) {
  std::string date = attribute(node, "birthdate");
  if (date.size() >= 10) return date.substr(0, 10);
  const std::string year = attribute(node, "year");
  if (year.size() != 4) return {};
  const std::string month = attribute(node, "monthOfYear");
  const std::string day = attribute(node, "dayOfMonth");
  const auto two = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
  if (month.empty()) return std::string(year);
  if (day.empty()) return year + "-" + two(month);
  return year + "-" + two(month) + "-" + two(day);
}

Entity read_entity(const pugi::xml_node& node) {
  Entity entity;
  entity.entity_id = attribute(node, "euReferenceNumber");
  if (entity.entity_id.empty()) entity.entity_id = attribute(node, "logicalId");
  for_children(node, "subjectType", [&](const pugi::xml_node& subject) {
    const std::string code = attribute(subject, "code");
    const std::string klass = attribute(subject, "classificationCode");
    if (code == "person" || klass == "P") {
      entity.type = EntityType::person;
    } else if (code == "enterprise" || klass == "E") {
      entity.type = EntityType::organization;
    }
  });
  for_children(node, "nameAlias", [&](const pugi::xml_node& alias) {
    std::string whole = attribute(alias, "wholeName");
    if (whole.empty()) {
      for (const char* part : {"firstName", "middleName", "lastName"}) {
        const std::string p = attribute(alias, part);
        if (p.empty()) continue;
        if (!whole.empty()) whole += ' ';
        whole += p;
      }
    }
    if (whole.empty()) return;
    // strong="false" marks the weak aliases, as OFAC's and the UN's low-quality ones.
    const bool weak = attribute(alias, "strong") == "false";
    entity.names.push_back({whole, weak ? NameStrength::weak : NameStrength::strong});
  });
  // The first strong name leads.
  for (std::size_t k = 1; k < entity.names.size(); ++k) {
    if (entity.names.front().strength == NameStrength::weak &&
        entity.names[k].strength == NameStrength::strong) {
      std::swap(entity.names.front(), entity.names[k]);
      break;
    }
  }
  for_children(node, "citizenship", [&](const pugi::xml_node& citizenship) {
    add_country_code(attribute(citizenship, "countryIso2Code"), entity);
  });
  for_children(node, "birthdate", [&](const pugi::xml_node& birth) {
    if (auto date = birth_date(birth); !date.empty()) entity.birth_dates.push_back(date);
  });
  for_children(node, "identification", [&](const pugi::xml_node& id) {
    const std::string number = attribute(id, "number");
    if (number.empty()) return;
    entity.identifiers.push_back(
        {attribute(id, "identificationTypeCode"), number, attribute(id, "countryIso2Code")});
  });
  for_children(node, "address", [&](const pugi::xml_node& address) {
    add_country_code(attribute(address, "countryIso2Code"), entity);
  });
  for_children(node, "regulation", [&](const pugi::xml_node& regulation) {
    if (auto programme = attribute(regulation, "programme"); !programme.empty()) {
      for (const auto& have : entity.programs) {
        if (have == programme) return;
      }
      entity.programs.push_back(programme);
    }
  });
  return entity;
}

}  // namespace

Result<SanctionsList> import_eu_xml(std::string_view xml) {
  pugi::xml_document doc;
  const pugi::xml_node root = CANDOR_TRY(load_xml_root(doc, xml, nullptr));
  if (local_name(root) != "export") {
    return Error::invalid_argument(
        "expected an EU Financial Sanctions File (<export> root), not <" +
        std::string(root.name()) + ">");
  }
  SanctionsList list;
  list.name = "EU Financial Sanctions";
  list.published = attribute(root, "generationDate").substr(0, 10);
  Result<void> status;
  for_children(root, "sanctionEntity", [&](const pugi::xml_node& node) {
    if (status.ok()) status = add_checked_entity(list, read_entity(node), node, "a sanctionEntity");
  });
  CANDOR_TRY(status);
  return list;
}

}  // namespace candor::screening
