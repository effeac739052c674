#include "risk/indicators.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/country.h"
#include "core/csv.h"

namespace candor::risk {
namespace {

struct Meta {
  Indicator indicator;
  std::string_view id;
  IndicatorInfo info;
};

constexpr Meta kMeta[] = {
    {Indicator::freedom_house,
     "freedom_house",
     {"Freedom in the World total score (0-100)", "Freedom House",
      "https://freedomhouse.org/report/freedom-world"}},
    {Indicator::rsf_rank,
     "rsf_rank",
     {"World Press Freedom Index rank", "Reporters Without Borders (RSF)",
      "https://rsf.org/en/index"}},
    {Indicator::political_terror,
     "political_terror",
     {"Political Terror Scale (1-5)", "Political Terror Scale",
      "https://www.politicalterrorscale.org/"}},
    {Indicator::civicus,
     "civicus",
     {"CIVICUS Monitor civic-space rating", "CIVICUS", "https://monitor.civicus.org/"}},
    {Indicator::vdem_cso_repression,
     "vdem_cso_repression",
     {"V-Dem CSO repression (v2csreprss)", "V-Dem Institute", "https://www.v-dem.net/data/"}},
    {Indicator::vdem_media_censorship,
     "vdem_media_censorship",
     {"V-Dem government censorship effort, media (v2mecenefm)", "V-Dem Institute",
      "https://www.v-dem.net/data/"}},
    {Indicator::vdem_privacy,
     "vdem_privacy",
     {"V-Dem private civil liberties index (v2x_clpriv)", "V-Dem Institute",
      "https://www.v-dem.net/data/"}},
    {Indicator::latent_protection,
     "latent_protection",
     {"Latent human rights protection score (theta)", "Fariss, Human Rights Protection Scores v4",
      "https://doi.org/10.7910/DVN/TADPGE"}},
};

const Meta& meta(Indicator indicator) {
  for (const auto& m : kMeta) {
    if (m.indicator == indicator) return m;
  }
  return kMeta[0];
}

std::optional<double> number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text == "NA" || text == "N/A" || text == "-") return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

double logistic_risk(double value, double steepness) {
  return 1.0 / (1.0 + std::exp(steepness * value));
}

// Reads a CSV with a header; calls row(fields, header, line) for every record.
template <typename F>
Result<void> each_row(std::string_view text, const std::vector<std::string_view>& required,
                      F&& row) {
  csv::Reader reader(text);
  const csv::Header header = CANDOR_TRY(csv::read_header(reader, required));
  std::vector<std::string> fields;
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error();
    if (!more.value()) return {};
    if (fields.size() == 1 && fields[0].empty()) continue;
    CANDOR_TRY(row(fields, header, reader.line()));
  }
}

std::string cell(const std::vector<std::string>& fields, const csv::Header& header,
                 std::string_view name) {
  const int i = header.index(name);
  return i >= 0 && static_cast<std::size_t>(i) < fields.size() ? fields[static_cast<std::size_t>(i)]
                                                               : std::string();
}

std::string where(std::size_t line) { return "line " + std::to_string(line); }

Result<int> year_of(const std::string& text, std::size_t line) {
  const auto y = number(text);
  if (!y || *y < 1900 || *y > 2100 || std::floor(*y) != *y) {
    return Error::invalid_argument("year must be a year, not '" + text + "'", where(line));
  }
  return static_cast<int>(*y);
}

std::optional<std::string> alpha2_of_alpha3(const std::string& alpha3) {
  auto code = CountryCode::from_alpha3(alpha3);
  if (!code.ok()) return std::nullopt;
  return std::string(code->alpha2());
}

IndicatorValue make(std::string country, Indicator indicator, int year, double value,
                    double scale = 0.0, std::string label = {}) {
  IndicatorValue v;
  v.country = std::move(country);
  v.indicator = indicator;
  v.year = year;
  v.value = value;
  v.label = std::move(label);
  v.risk = risk_of(indicator, value, scale);
  v.url = std::string(meta(indicator).info.url);
  return v;
}

}  // namespace

std::string_view to_string(Indicator indicator) { return meta(indicator).id; }

std::optional<Indicator> indicator_from_string(std::string_view text) {
  for (const auto& m : kMeta) {
    if (m.id == text) return m.indicator;
  }
  return std::nullopt;
}

const IndicatorInfo& info(Indicator indicator) { return meta(indicator).info; }

double risk_of(Indicator indicator, double value, double scale) {
  double risk = 0.0;
  switch (indicator) {
    case Indicator::freedom_house: risk = (100.0 - value) / 100.0; break;
    case Indicator::rsf_rank: risk = scale > 1.0 ? (value - 1.0) / (scale - 1.0) : 0.5; break;
    case Indicator::political_terror: risk = (value - 1.0) / 4.0; break;
    case Indicator::civicus: risk = (5.0 - value) / 4.0; break;
    case Indicator::vdem_cso_repression:
    case Indicator::vdem_media_censorship: risk = logistic_risk(value, 1.5); break;
    case Indicator::vdem_privacy: risk = 1.0 - value; break;
    case Indicator::latent_protection: risk = logistic_risk(value, 1.2); break;
  }
  return std::clamp(risk, 0.0, 1.0);
}

Result<Imported> import_freedom_house(std::string_view text, int edition_year) {
  Imported out;
  CANDOR_TRY(
      each_row(text, {"name", "status", "score"},
               [&](const std::vector<std::string>& f, const csv::Header& h,
                   std::size_t line) -> Result<void> {
                 const auto score = number(cell(f, h, "score"));
                 if (!score || *score < 0 || *score > 100) {
                   return Error::invalid_argument(
                       "score must be 0 to 100, not '" + cell(f, h, "score") + "'", where(line));
                 }
                 if (cell(f, h, "country_or_territory") == "t") {
                   ++out.skipped_places;
                   return {};
                 }
                 auto code = CountryCode::from_name(cell(f, h, "name"));
                 if (!code.ok()) {
                   ++out.skipped_places;
                   return {};
                 }
                 const std::string status = cell(f, h, "status");
                 const std::string label = status == "F"    ? "Free"
                                           : status == "PF" ? "Partly Free"
                                           : status == "NF" ? "Not Free"
                                                            : status;
                 out.values.push_back(make(std::string(code->alpha2()), Indicator::freedom_house,
                                           edition_year, *score, 0.0, label));
                 return {};
               }));
  return out;
}

Result<Imported> import_rsf(std::string_view text) {
  Imported out;
  std::map<int, double> ranked;  // Countries ranked each year.
  struct Row {
    std::string country;
    int year;
    double rank;
  };
  std::vector<Row> rows;
  CANDOR_TRY(each_row(text, {"year", "iso3", "rank"},
                      [&](const std::vector<std::string>& f, const csv::Header& h,
                          std::size_t line) -> Result<void> {
                        const int year = CANDOR_TRY(year_of(cell(f, h, "year"), line));
                        const auto rank = number(cell(f, h, "rank"));
                        if (!rank || *rank < 1) {
                          return Error::invalid_argument(
                              "rank must be a positive number, not '" + cell(f, h, "rank") + "'",
                              where(line));
                        }
                        ranked[year] = std::max(ranked[year], *rank);
                        auto country = alpha2_of_alpha3(cell(f, h, "iso3"));
                        if (!country) {
                          ++out.skipped_places;
                          return {};
                        }
                        rows.push_back({*country, year, *rank});
                        return {};
                      }));
  for (const auto& r : rows) {
    out.values.push_back(make(r.country, Indicator::rsf_rank, r.year, r.rank, ranked[r.year],
                              "rank " + std::to_string(static_cast<int>(r.rank)) + " of " +
                                  std::to_string(static_cast<int>(ranked[r.year]))));
  }
  return out;
}

Result<Imported> import_pts(std::string_view text) {
  Imported out;
  CANDOR_TRY(each_row(
      text, {"Year", "WordBank_Code_A", "PTS_A", "PTS_H", "PTS_S"},
      [&](const std::vector<std::string>& f, const csv::Header& h,
          std::size_t line) -> Result<void> {
        const int year = CANDOR_TRY(year_of(cell(f, h, "Year"), line));
        double sum = 0.0;
        int count = 0;
        for (const char* source : {"PTS_A", "PTS_H", "PTS_S"}) {
          const std::string raw = cell(f, h, source);
          const auto v = number(raw);
          if (!v) {
            if (!raw.empty() && raw != "NA") {
              return Error::invalid_argument(
                  std::string(source) + " must be 1 to 5 or NA, not '" + raw + "'", where(line));
            }
            continue;
          }
          if (*v < 1 || *v > 5) {
            return Error::invalid_argument(
                std::string(source) + " must be 1 to 5, not '" + raw + "'", where(line));
          }
          sum += *v;
          ++count;
        }
        if (count == 0) return {};  // Not scored that year: missing, not zero.
        // A few codes are the World Bank's, not ISO's (ROM, ZAR, TMP): the name decides then.
        auto country = alpha2_of_alpha3(cell(f, h, "WordBank_Code_A"));
        if (!country) {
          if (auto code = CountryCode::from_name(cell(f, h, "Country")); code.ok()) {
            country = std::string(code->alpha2());
          }
        }
        if (!country) {
          ++out.skipped_places;
          return {};
        }
        out.values.push_back(
            make(*country, Indicator::political_terror, year, sum / count, 0.0,
                 "mean of " + std::to_string(count) + " source" + (count > 1 ? "s" : "")));
        return {};
      }));
  return out;
}

Result<Imported> import_civicus(std::string_view text, int year) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return Error::invalid_argument("expected a JSON object of ISO3 codes to ratings");
  }
  static constexpr std::string_view kLabels[] = {"",           "Closed",   "Repressed",
                                                 "Obstructed", "Narrowed", "Open"};
  Imported out;
  for (const auto& [iso3, entry] : json.items()) {
    if (!entry.is_object() || !entry.contains("fillKey")) {
      return Error::invalid_argument("each country needs a fillKey", iso3);
    }
    const auto& key = entry["fillKey"];
    if (key.is_null() || (key.is_string() && key.get<std::string>() == "None")) {
      ++out.skipped_places;  // Listed but not rated: missing, not zero.
      continue;
    }
    std::optional<double> rating;
    if (key.is_string()) rating = number(key.get<std::string>());
    if (key.is_number()) rating = key.get<double>();
    if (!rating || *rating < 1 || *rating > 5 || std::floor(*rating) != *rating) {
      return Error::invalid_argument("fillKey must be 1 to 5", iso3);
    }
    auto country = alpha2_of_alpha3(iso3);
    if (!country) {
      ++out.skipped_places;
      continue;
    }
    auto value = make(*country, Indicator::civicus, year, *rating, 0.0,
                      std::string(kLabels[static_cast<int>(*rating)]));
    if (entry.contains("slug") && entry["slug"].is_string())
      value.url = entry["slug"].get<std::string>();
    out.values.push_back(std::move(value));
  }
  return out;
}

Result<Imported> import_vdem(std::string_view text) {
  Imported out;
  CANDOR_TRY(each_row(
      text, {"year", "iso2", "v2csreprss", "v2mecenefm", "v2x_clpriv"},
      [&](const std::vector<std::string>& f, const csv::Header& h,
          std::size_t line) -> Result<void> {
        const int year = CANDOR_TRY(year_of(cell(f, h, "year"), line));
        auto code = CountryCode::parse(cell(f, h, "iso2"));
        if (!code.ok()) {
          ++out.skipped_places;
          return {};
        }
        const std::string country(code->alpha2());
        const std::pair<const char*, Indicator> columns[] = {
            {"v2csreprss", Indicator::vdem_cso_repression},
            {"v2mecenefm", Indicator::vdem_media_censorship},
            {"v2x_clpriv", Indicator::vdem_privacy}};
        for (const auto& [column, indicator] : columns) {
          const std::string raw = cell(f, h, column);
          const auto v = number(raw);
          if (!v) {
            if (!raw.empty() && raw != "NA") {
              return Error::invalid_argument(
                  std::string(column) + " must be a number or NA, not '" + raw + "'", where(line));
            }
            continue;
          }
          out.values.push_back(make(country, indicator, year, *v));
        }
        return {};
      }));
  return out;
}

Result<Imported> import_latent_hr(std::string_view text) {
  Imported out;
  CANDOR_TRY(each_row(text, {"YEAR", "theta_mean", "country_name"},
                      [&](const std::vector<std::string>& f, const csv::Header& h,
                          std::size_t line) -> Result<void> {
                        const int year = CANDOR_TRY(year_of(cell(f, h, "YEAR"), line));
                        const std::string raw = cell(f, h, "theta_mean");
                        const auto theta = number(raw);
                        if (!theta) {
                          if (!raw.empty() && raw != "NA") {
                            return Error::invalid_argument(
                                "theta_mean must be a number or NA, not '" + raw + "'",
                                where(line));
                          }
                          return {};
                        }
                        auto code = CountryCode::from_name(cell(f, h, "country_name"));
                        if (!code.ok()) {
                          ++out.skipped_places;
                          return {};
                        }
                        out.values.push_back(make(std::string(code->alpha2()),
                                                  Indicator::latent_protection, year, *theta));
                        return {};
                      }));
  return out;
}

std::vector<IndicatorValue> newest(std::vector<IndicatorValue> values) {
  std::sort(values.begin(), values.end(), [](const IndicatorValue& a, const IndicatorValue& b) {
    if (a.country != b.country) return a.country < b.country;
    if (a.indicator != b.indicator) return a.indicator < b.indicator;
    return a.year > b.year;
  });
  std::vector<IndicatorValue> out;
  for (auto& v : values) {
    if (!out.empty() && out.back().country == v.country && out.back().indicator == v.indicator)
      continue;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace candor::risk
