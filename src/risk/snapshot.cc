#include "risk/snapshot.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/country.h"
#include "core/csv.h"
#include "core/digest.h"
#include "core/embedded.h"
#include "core/files.h"

namespace candor::risk {

std::span<const EmbeddedFile> embedded_snapshot();

namespace {

constexpr const char* kIndicatorsFile = "indicators.csv";
constexpr const char* kEvidenceFile = "evidence.csv";

Result<std::vector<IndicatorValue>> parse_indicators(std::string_view text) {
  std::vector<IndicatorValue> out;
  if (text.empty()) return out;
  csv::Reader reader(text);
  const csv::Header header = CANDOR_TRY(csv::read_header(
      reader, {"country", "indicator", "year", "value", "label", "risk", "publisher", "url"}));
  std::vector<std::string> fields;
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error();
    if (!more.value()) break;
    const std::string line = "line " + std::to_string(reader.line());
    const auto get = [&](const char* column) { return header.value(fields, column); };
    IndicatorValue v;
    auto country = CountryCode::parse(get("country"));
    if (!country.ok())
      return Error::invalid_argument("country: " + country.error().message(), line);
    v.country = std::string(country->alpha2());
    const auto indicator = indicator_from_string(get("indicator"));
    if (!indicator)
      return Error::invalid_argument("indicator: unknown '" + get("indicator") + "'", line);
    v.indicator = *indicator;
    try {
      std::size_t used = 0;
      v.year = std::stoi(get("year"), &used);
      if (used != get("year").size()) throw std::invalid_argument("year");
      v.value = std::stod(get("value"), &used);
      if (used != get("value").size()) throw std::invalid_argument("value");
      v.risk = std::stod(get("risk"), &used);
      if (used != get("risk").size() || v.risk < 0 || v.risk > 1)
        throw std::invalid_argument("risk");
    } catch (const std::exception&) {
      return Error::invalid_argument("year, value and risk must be numbers (risk 0 to 1)", line);
    }
    v.label = get("label");
    v.url = get("url");
    out.push_back(std::move(v));
  }
  return out;
}

std::string version_of(std::string_view indicators, std::string_view evidence) {
  return "risk@" + sha256_hex({indicators, evidence}).substr(0, 12);
}

Result<void> write_whole(const std::filesystem::path& path, const std::string& content) {
  const auto temporary = path.string() + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return Error::invalid_argument("cannot write", temporary);
    out << content;
    if (!out.flush()) return Error::unavailable("error while writing", temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Error::unavailable("cannot move into place: " + ec.message(), path.string());
  return {};
}

}  // namespace

std::string to_indicators_csv(const std::vector<IndicatorValue>& values) {
  std::string out = csv::format_record(
      {"country", "indicator", "year", "value", "label", "risk", "publisher", "url"});
  for (const auto& v : values) {
    char value[32];
    char risk[16];
    std::snprintf(value, sizeof value, "%.6g", v.value);
    std::snprintf(risk, sizeof risk, "%.4f", v.risk);
    out +=
        csv::format_record({v.country, std::string(to_string(v.indicator)), std::to_string(v.year),
                            value, v.label, risk, std::string(info(v.indicator).publisher), v.url});
  }
  return out;
}

const Snapshot& Snapshot::builtin() {
  static const Snapshot snapshot = [] {
    std::string_view indicators;
    std::string_view evidence;
    for (const auto& file : embedded_snapshot()) {
      if (file.name == kIndicatorsFile) indicators = file.content;
      if (file.name == kEvidenceFile) evidence = file.content;
    }
    auto parsed = parse(indicators, evidence);
    // The compiled-in files are checked by the tests; failing here is a build defect.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return snapshot;
}

Result<Snapshot> Snapshot::parse(std::string_view indicators_csv, std::string_view evidence_csv) {
  Snapshot snapshot;
  auto indicators = parse_indicators(indicators_csv);
  if (!indicators.ok()) return std::move(indicators).error().within(kIndicatorsFile);
  snapshot.indicators = newest(std::move(indicators).value());
  if (!evidence_csv.empty()) {
    auto evidence = import_evidence_csv(evidence_csv);
    if (!evidence.ok()) return std::move(evidence).error().within(kEvidenceFile);
    snapshot.evidence = std::move(evidence).value();
  }
  snapshot.version = version_of(indicators_csv, evidence_csv);
  return snapshot;
}

Result<Snapshot> Snapshot::load_folder(const std::string& folder) {
  const auto read_optional = [&](const char* name) -> Result<std::string> {
    const auto path = std::filesystem::path(folder) / name;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::string();
    return read_file(path.string());
  };
  const std::string indicators = CANDOR_TRY(read_optional(kIndicatorsFile));
  const std::string evidence = CANDOR_TRY(read_optional(kEvidenceFile));
  auto snapshot = parse(indicators, evidence);
  if (!snapshot.ok()) return std::move(snapshot).error().within(folder);
  return snapshot;
}

Result<void> Snapshot::save_folder(const std::string& folder) const {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Error::invalid_argument("cannot create the folder: " + ec.message(), folder);
  CANDOR_TRY(
      write_whole(std::filesystem::path(folder) / kIndicatorsFile, to_indicators_csv(indicators)));
  return write_whole(std::filesystem::path(folder) / kEvidenceFile, to_evidence_csv(evidence));
}

void Snapshot::merge_indicators(const std::vector<IndicatorValue>& values) {
  std::vector<IndicatorValue> all = indicators;
  all.insert(all.end(), values.begin(), values.end());
  indicators = newest(std::move(all));
}

void Snapshot::merge_evidence(const std::vector<EvidenceRecord>& records) {
  std::map<std::string, std::size_t> at;
  for (std::size_t k = 0; k < evidence.size(); ++k) at[evidence[k].id] = k;
  for (const auto& r : records) {
    if (auto found = at.find(r.id); found != at.end()) {
      evidence[found->second] = r;
    } else {
      at[r.id] = evidence.size();
      evidence.push_back(r);
    }
  }
  std::sort(evidence.begin(), evidence.end(),
            [](const EvidenceRecord& a, const EvidenceRecord& b) { return a.id < b.id; });
}

std::vector<const IndicatorValue*> Snapshot::for_country(const std::string& alpha2) const {
  std::vector<const IndicatorValue*> out;
  for (const auto& v : indicators) {
    if (v.country == alpha2) out.push_back(&v);
  }
  return out;
}

}  // namespace candor::risk
