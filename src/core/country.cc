#include "core/country.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/iso_codes.h"

namespace candor {
namespace {

struct CountryRecord {
  std::string alpha2;
  std::string alpha3;
  std::string name;
};

Result<std::vector<CountryRecord>> load_countries() {
  auto table = CANDOR_TRY(iso_codes::load_table("iso_3166-1.json", "3166-1"));
  std::vector<CountryRecord> records;
  for (const auto& row : table) {
    auto is_text = [&row](const char* key) { return row.contains(key) && row[key].is_string(); };
    if (!row.is_object() || !is_text("alpha_2") || !is_text("alpha_3") || !is_text("name")) {
      return Error::data_loss("iso_3166-1.json has a row without alpha_2, alpha_3 or name");
    }
    records.push_back({row["alpha_2"].get<std::string>(), row["alpha_3"].get<std::string>(),
                       row["name"].get<std::string>()});
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

// A CountryCode exists only after a successful parse, so the table is loaded here.
std::string_view CountryCode::alpha2() const { return countries().value()[index_].alpha2; }
std::string_view CountryCode::alpha3() const { return countries().value()[index_].alpha3; }
std::string_view CountryCode::name() const { return countries().value()[index_].name; }

}  // namespace candor
