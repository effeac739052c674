#include "register/import.h"

#include <algorithm>
#include <charconv>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/canonical_json.h"
#include "core/country.h"
#include "core/csv.h"
#include "register/publish.h"

namespace candor::reg {
namespace {

// The publisher's names that neither ISO 3166-1 nor CountryCode::from_name knows.
const std::map<std::string_view, std::string_view>& publisher_names() {
  static const std::map<std::string_view, std::string_view> names = {
      {"Svelbard Archipelago", "SJ"},
      {"Mayotte (Grand Terre and Pamanzi)", "YT"},
      {"St Vincent (including the Grenadines)", "VC"},
      {"St Helena", "SH"},
      {"St Lucia", "LC"},
      {"Sarawak", "MY"},
      {"Surinam", "SR"},
      {"Republic of Guinea", "GN"},
      {"Republic of Congo", "CG"},
      {"Democratic Republic of Congo", "CD"},
      {"Ivory Coast", "CI"},
      {"East Timor", "TL"},
      {"Macedonia", "MK"},
      {"Swaziland", "SZ"},
      {"Hong Kong Special Administrative Region", "HK"},
      {"Aland Islands", "AX"},
      {"Cape Verde", "CV"},
      {"Falkland Islands", "FK"},
      {"Continental Shelf: United Kingdom sector", "GB"},
  };
  return names;
}

std::string destination_code(const std::string& name) {
  static thread_local std::unordered_map<std::string, std::string> cache;
  if (const auto it = cache.find(name); it != cache.end()) return it->second;
  std::string code;
  if (const auto it = publisher_names().find(name); it != publisher_names().end()) {
    code = std::string(it->second);
  } else if (auto parsed = CountryCode::from_name(name); parsed.ok()) {
    code = std::string(parsed->alpha2());
  }
  cache.emplace(name, code);
  return code;
}

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = (d[5] - '0') * 10 + (d[6] - '0');
  const int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

using Licence = CaatUkFile::Licence;

Error at_line(std::size_t line, const std::string& what) {
  return Error::invalid_argument("line " + std::to_string(line) + ": " + what);
}

// The entry's canonical bytes written directly, members in RFC 8785 order: through a JSON
// object and the general canonicaliser, building a million entries took ten times as long.
// The tests check the bytes against that canonicaliser for every row of the real data.
Result<NewEntry> entry_of(const Licence& licence, const std::map<std::string, std::string>& ratings,
                          std::string_view id_suffix) {
  NewEntry e;
  for (const auto& rating : licence.ratings) {
    const auto it = ratings.find(rating);
    const std::string& text = it != ratings.end() && !it->second.empty() ? it->second : rating;
    if (e.description.find(text) != std::string::npos) continue;
    if (!e.description.empty()) e.description += "; ";
    e.description += text;
  }
  for (const auto& rating : licence.ratings) {
    if (!e.control_entries.empty()) e.control_entries += ' ';
    e.control_entries += rating;
  }
  e.entry_id = "GB-CAAT-" + licence.group + std::string(id_suffix);
  e.authority = "GB";
  e.decision = licence.refused ? "refused" : "granted";
  e.decision_date = licence.date;
  e.destination = destination_code(licence.country);
  e.category = category_of_rating(licence.ratings.front());
  if (licence.has_value) e.value_band = value_band(licence.value, 0, "GBP");
  e.destination_name = licence.country;

  std::string& out = e.leaf_input;
  out.reserve(512);
  out += R"j({"authority":{"member_state":"GB","name":"United Kingdom (historical)"},)j";
  out += R"j("control_entries":[)j";
  for (std::size_t i = 0; i < licence.ratings.size(); ++i) {
    if (i > 0) out += ',';
    CANDOR_TRY(json::append_string(licence.ratings[i], out));
  }
  out += R"j(],"decision":)j";
  CANDOR_TRY(json::append_string(e.decision, out));
  out += R"j(,"decision_date":)j";
  CANDOR_TRY(json::append_string(e.decision_date, out));
  if (!e.destination.empty()) {
    out += R"j(,"destination":)j";
    CANDOR_TRY(json::append_string(e.destination, out));
  }
  out += R"j(,"destination_name":)j";
  CANDOR_TRY(json::append_string(e.destination_name, out));
  out += R"j(,"entry_id":)j";
  CANDOR_TRY(json::append_string(e.entry_id, out));
  out += R"j(,"item_category":)j";
  CANDOR_TRY(json::append_string(e.category, out));
  out += R"j(,"item_description":)j";
  CANDOR_TRY(json::append_string(e.description, out));
  out += R"j(,"schema":"candor.register.entry/1","source":{"dataset":"uk_licences_2008_2015",)j";
  out += R"j("licence_group":)j";
  CANDOR_TRY(json::append_string(licence.group, out));
  out += R"j(,"publisher":"Campaign Against Arms Trade"})j";
  if (!e.value_band.empty()) {
    out += R"j(,"value_band":)j";
    CANDOR_TRY(json::append_string(e.value_band, out));
  }
  out += '}';
  return e;
}

}  // namespace

std::string category_of_rating(std::string_view rating) {
  if (rating.starts_with("ML")) return "military";
  if (rating.starts_with("PL")) return "national";
  if (!rating.empty() && rating[0] >= '0' && rating[0] <= '9' && rating.size() >= 2 &&
      rating[1] >= 'A' && rating[1] <= 'E') {
    return "dual_use_" + std::string(1, rating[0]);
  }
  return "other";
}

Result<std::map<std::string, std::string>> read_uk_ratings(std::string_view csv_text) {
  csv::Reader reader(csv_text);
  const auto header = CANDOR_TRY(csv::read_header(reader, {"rating", "short_description"}));
  std::map<std::string, std::string> out;
  std::vector<std::string> fields;
  while (CANDOR_TRY(reader.next(fields))) {
    const std::string rating = header.value(fields, "rating");
    if (rating.empty()) return at_line(reader.line(), "rating is empty");
    out[rating] = header.value(fields, "short_description");
  }
  return out;
}

Result<CaatUkFile> CaatUkFile::read(std::string_view csv_text,
                                    std::map<std::string, std::string> ratings,
                                    ImportReport& report, std::string id_suffix) {
  csv::Reader reader(csv_text);
  const auto header = CANDOR_TRY(
      csv::read_header(reader, {"licence_group", "date", "rating", "value", "country", "refused"}));
  const int group_col = header.index("licence_group");
  const int date_col = header.index("date");
  const int rating_col = header.index("rating");
  const int value_col = header.index("value");
  const int country_col = header.index("country");
  const int refused_col = header.index("refused");
  std::vector<Licence> licences;
  std::unordered_map<std::string, std::size_t> position;
  std::vector<std::string> fields;
  while (CANDOR_TRY(reader.next(fields))) {
    const std::size_t line = reader.line();
    if (fields.size() < header.names().size()) {
      return at_line(line, "expected " + std::to_string(header.names().size()) + " fields, got " +
                               std::to_string(fields.size()));
    }
    ++report.rows;
    const std::string& group = fields[group_col];
    const std::string& date = fields[date_col];
    const std::string& rating = fields[rating_col];
    const std::string& value = fields[value_col];
    const std::string& country = fields[country_col];
    const std::string& refused = fields[refused_col];
    if (group.empty()) return at_line(line, "licence_group is empty");
    if (!valid_date(date)) return at_line(line, "date is not YYYY-MM-DD: " + date);
    if (rating.empty()) return at_line(line, "rating is empty");
    if (country.empty()) return at_line(line, "country is empty");
    if (refused != "0" && refused != "1") return at_line(line, "refused must be 0 or 1");
    std::int64_t amount = 0;
    if (!value.empty()) {
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), amount);
      if (ec != std::errc() || ptr != value.data() + value.size() || amount < 0 ||
          amount > 1'000'000'000'000) {
        return at_line(line, "value is not a whole number of pounds: " + value);
      }
    }
    auto [it, fresh] = position.try_emplace(group, licences.size());
    if (fresh) {
      licences.push_back({group, date, country, refused == "1", {}, 0, false});
    }
    Licence& licence = licences[it->second];
    if (licence.date != date || licence.country != country || licence.refused != (refused == "1")) {
      return at_line(line, "licence " + group +
                               " disagrees with its earlier rows on date, "
                               "country or refused");
    }
    if (std::find(licence.ratings.begin(), licence.ratings.end(), rating) ==
        licence.ratings.end()) {
      licence.ratings.push_back(rating);
    }
    if (!value.empty()) {
      licence.value += amount;
      licence.has_value = true;
    }
  }
  for (const auto& licence : licences) {
    if (destination_code(licence.country).empty()) ++report.unmapped_destinations[licence.country];
    if (licence.refused) ++report.refusals;
  }
  report.entries = licences.size();
  CaatUkFile file;
  file.licences_ = std::move(licences);
  file.ratings_ = std::move(ratings);
  file.id_suffix_ = std::move(id_suffix);
  return file;
}

Result<std::vector<NewEntry>> CaatUkFile::entries(std::size_t begin, std::size_t end) const {
  end = std::min(end, licences_.size());
  std::vector<NewEntry> out;
  out.reserve(end > begin ? end - begin : 0);
  for (std::size_t i = begin; i < end; ++i) {
    out.push_back(CANDOR_TRY(entry_of(licences_[i], ratings_, id_suffix_)));
  }
  return out;
}

Result<std::vector<NewEntry>> read_caat_uk(std::string_view csv_text,
                                           const std::map<std::string, std::string>& ratings,
                                           ImportReport& report, std::string_view id_suffix) {
  const auto file = CANDOR_TRY(CaatUkFile::read(csv_text, ratings, report, std::string(id_suffix)));
  // Two threads, each its own half: building the JSON is most of reading a file.
  const std::size_t half = file.size() >= 10'000 ? file.size() / 2 : file.size();
  Result<std::vector<NewEntry>> second_half = std::vector<NewEntry>{};
  std::thread second([&] { second_half = file.entries(half, file.size()); });
  auto out = file.entries(0, half);
  second.join();
  if (!out.ok()) return std::move(out).error();
  if (!second_half.ok()) return std::move(second_half).error();
  out->insert(out->end(), std::make_move_iterator(second_half->begin()),
              std::make_move_iterator(second_half->end()));
  return std::move(out).value();
}

}  // namespace candor::reg
