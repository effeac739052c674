#include "core/country.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "core/iso_codes.h"

namespace candor {
namespace {

struct CountryRecord {
  std::string alpha2;
  std::string alpha3;
  std::string numeric;
  std::string name;
  std::vector<std::string> match_names;  // Lower-case short, official and common names.
};

// Names publishers use that are none of ISO's three (sanctions lists, indices, the UK and US
// governments' usage). Facts about spelling, kept as data.
constexpr std::pair<std::string_view, std::string_view> kNameAliases[] = {
    {"burma", "MM"},
    {"uae", "AE"},
    {"bosnia herzegovina", "BA"},
    {"korea, north", "KP"},
    {"north korea", "KP"},
    {"korea, south", "KR"},
    {"south korea", "KR"},
    {"russia", "RU"},
    {"syria", "SY"},
    {"laos", "LA"},
    {"vietnam", "VN"},
    {"macedonia", "MK"},
    {"czech republic", "CZ"},
    {"swaziland", "SZ"},
    {"ivory coast", "CI"},
    {"cote d'ivoire", "CI"},
    {"turkey", "TR"},
    {"congo, democratic republic of the", "CD"},
    {"democratic republic of the congo", "CD"},
    {"congo, republic of the", "CG"},
    {"republic of the congo", "CG"},
    {"palestinian", "PS"},
    {"west bank", "PS"},
    {"gaza", "PS"},
    {"palestine", "PS"},
    {"united states", "US"},
    {"usa", "US"},
    {"united kingdom", "GB"},
    {"uk", "GB"},
    {"great britain", "GB"},
    {"the bahamas", "BS"},
    {"the gambia", "GM"},
    {"gambia, the", "GM"},
    {"bahamas, the", "BS"},
    {"micronesia", "FM"},
    {"brunei", "BN"},
    {"cape verde", "CV"},
    {"east timor", "TL"},
    {"timor-leste", "TL"},
    {"vatican", "VA"},
    {"holy see", "VA"},
    {"kyrgyzstan", "KG"},
    {"bolivia", "BO"},
    {"venezuela", "VE"},
    {"tanzania", "TZ"},
    {"moldova", "MD"},
    {"iran", "IR"},
    {"taiwan", "TW"},
};

std::string fold(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

Result<std::vector<CountryRecord>> load_countries() {
  auto table = CANDOR_TRY(iso_codes::load_table("iso_3166-1.json", "3166-1"));
  std::vector<CountryRecord> records;
  for (const auto& row : table) {
    auto is_text = [&row](const char* key) { return row.contains(key) && row[key].is_string(); };
    if (!row.is_object() || !is_text("alpha_2") || !is_text("alpha_3") || !is_text("name")) {
      return Error::data_loss("iso_3166-1.json has a row without alpha_2, alpha_3 or name");
    }
    CountryRecord record{row["alpha_2"].get<std::string>(),
                         row["alpha_3"].get<std::string>(),
                         is_text("numeric") ? row["numeric"].get<std::string>() : "",
                         row["name"].get<std::string>(),
                         {}};
    for (const char* key : {"name", "official_name", "common_name"}) {
      if (is_text(key)) record.match_names.push_back(fold(row[key].get<std::string>()));
    }
    records.push_back(std::move(record));
  }
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.alpha2 < b.alpha2; });
  return records;
}

const Result<std::vector<CountryRecord>>& countries() {
  static const Result<std::vector<CountryRecord>> table = load_countries();
  return table;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_letters(std::string_view text, std::size_t length) {
  return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isalpha(static_cast<unsigned char>(c)) != 0;
         });
}

}  // namespace

Result<CountryCode> CountryCode::parse(std::string_view alpha2) {
  if (!is_letters(alpha2, 2)) {
    return Error::invalid_argument("a country code is two letters (ISO 3166-1 alpha-2), got '" +
                                   std::string(alpha2) + "'");
  }
  const auto& table = countries();
  if (!table.ok()) return table.error();
  const std::string code = upper(alpha2);
  const auto& rows = table.value();
  auto it =
      std::lower_bound(rows.begin(), rows.end(), code,
                       [](const CountryRecord& r, const std::string& c) { return r.alpha2 < c; });
  if (it == rows.end() || it->alpha2 != code) {
    return Error::invalid_argument("'" + code + "' is not an ISO 3166-1 country code");
  }
  return CountryCode(static_cast<std::uint16_t>(it - rows.begin()));
}

Result<std::vector<CountryCode>> CountryCode::all() {
  const auto& table = countries();
  if (!table.ok()) return table.error();
  std::vector<CountryCode> out;
  for (std::size_t i = 0; i < table.value().size(); ++i) {
    out.push_back(CountryCode(static_cast<std::uint16_t>(i)));
  }
  return out;
}

Result<CountryCode> CountryCode::from_alpha3(std::string_view alpha3) {
  if (!is_letters(alpha3, 3)) {
    return Error::invalid_argument("an alpha-3 country code is three letters, got '" +
                                   std::string(alpha3) + "'");
  }
  const auto& table = countries();
  if (!table.ok()) return table.error();
  const std::string code = upper(alpha3);
  const auto& rows = table.value();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].alpha3 == code) return CountryCode(static_cast<std::uint16_t>(i));
  }
  return Error::invalid_argument("'" + code + "' is not an ISO 3166-1 alpha-3 country code");
}

Result<CountryCode> CountryCode::from_numeric(std::string_view numeric) {
  const auto& table = countries();
  if (!table.ok()) return table.error();
  const auto& rows = table.value();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!numeric.empty() && rows[i].numeric == numeric) {
      return CountryCode(static_cast<std::uint16_t>(i));
    }
  }
  return Error::not_found("'" + std::string(numeric) + "' is not an ISO 3166-1 numeric code");
}

Result<CountryCode> CountryCode::from_name(std::string_view name) {
  const auto& table = countries();
  if (!table.ok()) return table.error();
  const std::string wanted = fold(name);
  const auto& rows = table.value();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& n : rows[i].match_names) {
      if (n == wanted) return CountryCode(static_cast<std::uint16_t>(i));
    }
  }
  for (const auto& [alias, code] : kNameAliases) {
    if (alias == wanted) return parse(code);
  }
  return Error::not_found("'" + std::string(name) + "' is not a country name Candor knows");
}

// A CountryCode exists only after a successful parse, so the table is loaded here.
std::string_view CountryCode::alpha2() const { return countries().value()[index_].alpha2; }
std::string_view CountryCode::alpha3() const { return countries().value()[index_].alpha3; }
std::string_view CountryCode::name() const { return countries().value()[index_].name; }

}  // namespace candor
