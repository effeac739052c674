// OFAC's legacy CSV files: sdn (one row per entry), alt (aliases) and add (addresses), no
// header, "-0-" for an empty field.
// https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas
#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "core/csv.h"
#include "screening/fields.h"
#include "screening/importers.h"
#include "screening/remarks.h"

namespace candor::screening {
namespace {

std::string value(const std::vector<std::string>& fields, std::size_t i) {
  if (i >= fields.size()) return {};
  std::string_view v = fields[i];
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  return v == "-0-" ? std::string() : std::string(v);
}

// An empty line, or the DOS end-of-file mark (Ctrl-Z) that OFAC's files end with.
bool blank(const std::vector<std::string>& fields) {
  return fields.size() == 1 && (value(fields, 0).empty() || value(fields, 0) == "\x1a");
}

EntityType entity_type(const std::string& sdn_type) {
  if (sdn_type == "individual") return EntityType::person;
  if (sdn_type == "vessel") return EntityType::vessel;
  if (sdn_type == "aircraft") return EntityType::aircraft;
  return EntityType::organization;  // OFAC leaves the type empty for entities.
}

// Reads every record of one file, calling `row` with its fields; stops at the first error.
template <typename Row>
Result<void> each_record(std::string_view text, std::string_view file, std::size_t min_fields,
                         Row row) {
  csv::Reader reader(text);
  std::vector<std::string> fields;
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error().within(file);
    if (!more.value()) return {};
    if (blank(fields)) continue;
    const std::string where = std::string(file) + ": line " + std::to_string(reader.line());
    if (fields.size() < min_fields) {
      return Error::invalid_argument("expected at least " + std::to_string(min_fields) +
                                         " fields, found " + std::to_string(fields.size()),
                                     where);
    }
    CANDOR_TRY(row(fields, where));
  }
}

}  // namespace

Result<SanctionsList> import_ofac_csv(std::string_view sdn, std::string_view alt,
                                      std::string_view add, std::string_view list_name) {
  SanctionsList list;
  list.name = std::string(list_name);
  std::unordered_map<std::string, std::size_t> by_id;
  CANDOR_TRY(
      each_record(sdn, "sdn", 12, [&](const auto& f, const std::string& where) -> Result<void> {
        Entity entity;
        entity.entity_id = value(f, 0);
        std::int64_t number = 0;
        const auto [end, ec] = std::from_chars(
            entity.entity_id.data(), entity.entity_id.data() + entity.entity_id.size(), number);
        if (entity.entity_id.empty() || ec != std::errc() ||
            end != entity.entity_id.data() + entity.entity_id.size()) {
          return Error::invalid_argument("ent_num must be a number, got '" + entity.entity_id + "'",
                                         where);
        }
        const std::string name = value(f, 1);
        if (name.empty()) return Error::invalid_argument("SDN_Name is empty", where);
        entity.names.push_back({name, NameStrength::strong});
        entity.type = entity_type(value(f, 2));
        // Several programmes are written "SYRIA] [UKRAINE-EO13662".
        const std::string program_field = value(f, 3);
        std::string_view programs = program_field;
        while (!programs.empty()) {
          const auto end = programs.find("] [");
          std::string_view one = trim_space(programs.substr(0, end));
          while (!one.empty() && (one.front() == '[' || one.front() == ']')) one.remove_prefix(1);
          while (!one.empty() && (one.back() == '[' || one.back() == ']')) one.remove_suffix(1);
          if (!one.empty()) entity.programs.emplace_back(one);
          programs = end == std::string_view::npos ? std::string_view() : programs.substr(end + 3);
        }
        add_country_name(value(f, 9), entity);
        apply_ofac_remarks(value(f, 11), entity);
        if (!by_id.emplace(entity.entity_id, list.entities.size()).second) {
          return Error::invalid_argument("ent_num " + entity.entity_id + " appears twice", where);
        }
        list.entities.push_back(std::move(entity));
        return {};
      }));
  CANDOR_TRY(
      each_record(alt, "alt", 4, [&](const auto& f, const std::string& where) -> Result<void> {
        auto it = by_id.find(value(f, 0));
        if (it == by_id.end()) {
          return Error::invalid_argument("alias for unknown ent_num " + value(f, 0), where);
        }
        const std::string alias = value(f, 3);
        if (alias.empty()) return {};
        // aka, fka and nka aliases are all strong here; OFAC puts weak ones in the remarks.
        list.entities[it->second].names.push_back({alias, NameStrength::strong});
        return {};
      }));
  CANDOR_TRY(
      each_record(add, "add", 5, [&](const auto& f, const std::string& where) -> Result<void> {
        auto it = by_id.find(value(f, 0));
        if (it == by_id.end()) {
          return Error::invalid_argument("address for unknown ent_num " + value(f, 0), where);
        }
        add_country_name(value(f, 4), list.entities[it->second]);
        return {};
      }));
  return list;
}

std::string_view to_string(EntityType type) {
  switch (type) {
    case EntityType::person: return "person";
    case EntityType::organization: return "organization";
    case EntityType::vessel: return "vessel";
    case EntityType::aircraft: return "aircraft";
    case EntityType::unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace candor::screening
