#include <algorithm>

#include "core/country.h"
#include "core/csv.h"
#include "screening/importers.h"
#include "screening/remarks.h"

namespace candor::screening {
namespace {

std::vector<std::string> split_cell(const std::string& cell) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= cell.size()) {
    auto end = cell.find(';', start);
    if (end == std::string::npos) end = cell.size();
    std::string_view part(cell.data() + start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

Result<EntityType> parse_type(const std::string& text, const std::string& where) {
  if (text.empty()) return EntityType::unknown;
  for (const auto type :
       {EntityType::person, EntityType::organization, EntityType::vessel, EntityType::aircraft}) {
    if (text == to_string(type)) return type;
  }
  return Error::invalid_argument(
      "type must be person, organization, vessel or aircraft, not '" + text + "'", where);
}

Result<std::string> parse_country(const std::string& text, const std::string& where) {
  auto code = text.size() == 2 ? CountryCode::parse(text) : CountryCode::from_name(text);
  if (!code.ok()) return Error::invalid_argument(code.error().message(), where);
  return std::string(code->alpha2());
}

Result<std::string> parse_dob(const std::string& text, const std::string& where) {
  const bool iso = (text.size() == 4 || text.size() == 7 || text.size() == 10) &&
                   std::all_of(text.begin(), text.end(),
                               [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
  if (iso) return text;
  std::string loose = parse_loose_date(text);
  if (loose.empty()) {
    return Error::invalid_argument("dob must be YYYY, YYYY-MM or YYYY-MM-DD, not '" + text + "'",
                                   where);
  }
  return loose;
}

}  // namespace

Result<SanctionsList> import_plain_csv(std::string_view text, std::string_view list_name) {
  csv::Reader reader(text);
  std::vector<std::string> fields;
  auto has_header = reader.next(fields);
  if (!has_header.ok()) return std::move(has_header).error();
  if (!has_header.value()) return Error::invalid_argument("the file is empty", "line 1");
  const csv::Header header(fields);
  const int name_col = header.index("name");
  if (name_col < 0) return Error::invalid_argument("the header has no 'name' column", "line 1");
  const auto cell = [&](const char* column) {
    const int i = header.index(column);
    return i >= 0 && static_cast<std::size_t>(i) < fields.size()
               ? fields[static_cast<std::size_t>(i)]
               : std::string();
  };
  SanctionsList list;
  list.name = std::string(list_name);
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error();
    if (!more.value()) break;
    if (fields.size() == 1 && fields[0].empty()) continue;
    const std::string where = "line " + std::to_string(reader.line());
    Entity entity;
    entity.entity_id = cell("id").empty() ? std::to_string(reader.line()) : cell("id");
    const std::string name = cell("name");
    if (name.empty()) return Error::invalid_argument("name is empty", where);
    entity.names.push_back({name, NameStrength::strong});
    for (auto& alias : split_cell(cell("aliases")))
      entity.names.push_back({alias, NameStrength::strong});
    entity.type = CANDOR_TRY(parse_type(cell("type"), where));
    for (const auto& c : split_cell(cell("country")))
      entity.countries.push_back(CANDOR_TRY(parse_country(c, where)));
    for (const auto& d : split_cell(cell("dob")))
      entity.birth_dates.push_back(CANDOR_TRY(parse_dob(d, where)));
    for (const auto& id : split_cell(cell("identifiers"))) {
      const auto colon = id.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == id.size()) {
        return Error::invalid_argument("identifiers are written type:value, not '" + id + "'",
                                       where);
      }
      entity.identifiers.push_back({id.substr(0, colon), id.substr(colon + 1), ""});
    }
    list.entities.push_back(std::move(entity));
  }
  return list;
}

}  // namespace candor::screening
