// `candor assess` and `candor import`: the human-rights risk assessment and the importers
// that refresh its data from the publishers' files.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <regex>

#include "cli/cli.h"
#include "core/canonical_json.h"
#include "core/files.h"
#include "risk/assess.h"
#include "risk/snapshot.h"

namespace candor::cli {
namespace {

constexpr std::size_t kMaxCaseBytes = 1 << 20;

Result<risk::Snapshot> choose_data(const std::string& folder) {
  if (folder.empty()) return risk::Snapshot::builtin();
  return risk::Snapshot::load_folder(folder);
}

// The first four-digit year in the file's name ("freedom_in_the_world_2023.csv").
std::optional<int> year_in_name(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  static const std::regex year("(19|20)[0-9]{2}");
  std::smatch match;
  if (!std::regex_search(name, match, year)) return std::nullopt;
  return std::stoi(match.str());
}

Result<void> assess_case(const AssessOptions& options) {
  const std::string text = CANDOR_TRY(read_file(options.case_path, kMaxCaseBytes));
  auto json = json::parse_strict(text, {.max_bytes = kMaxCaseBytes, .max_depth = 16});
  if (!json.ok()) return std::move(json).error().within(options.case_path);
  auto parsed = risk::parse_case(json.value());
  if (!parsed.ok()) return std::move(parsed).error().within(options.case_path);
  const risk::Snapshot data = CANDOR_TRY(choose_data(options.data_folder));
  const auto assessment = risk::assess(parsed.value(), data);
  if (options.json) {
    std::printf("%s\n", risk::to_json(assessment).dump(2).c_str());
  } else {
    std::printf("%s", risk::to_text(assessment, parsed.value()).c_str());
  }
  return {};
}

Result<void> import_indicators(const ImportOptions& options) {
  const std::string text = CANDOR_TRY(read_file(options.file));
  const auto year =
      options.year > 0 ? std::optional<int>(options.year) : year_in_name(options.file);
  Result<risk::Imported> imported = Error::invalid_argument("unknown source");
  const std::string& source = options.source;
  if (source == "freedom-house" || source == "civicus") {
    if (!year) {
      return Error::invalid_argument("give --year: the edition year is not in the file's name",
                                     options.file);
    }
    imported = source == "freedom-house" ? risk::import_freedom_house(text, *year)
                                         : risk::import_civicus(text, *year);
  } else if (source == "rsf") {
    imported = risk::import_rsf(text);
  } else if (source == "pts") {
    imported = risk::import_pts(text);
  } else if (source == "vdem") {
    imported = risk::import_vdem(text);
  } else if (source == "latent-hr") {
    imported = risk::import_latent_hr(text);
  }
  if (!imported.ok()) return std::move(imported).error().within(options.file);
  risk::Snapshot data = CANDOR_TRY(risk::Snapshot::load_folder(options.data_folder));
  const auto values = risk::newest(std::move(imported->values));
  data.merge_indicators(values);
  CANDOR_TRY(data.save_folder(options.data_folder));
  std::fprintf(stderr, "candor: %zu values (the newest per country and indicator) from %s into %s",
               values.size(), options.file.c_str(), options.data_folder.c_str());
  if (imported->skipped_places > 0) {
    std::fprintf(stderr, "; %zu rows for places without an ISO 3166 code left out",
                 imported->skipped_places);
  }
  std::fprintf(stderr, "\n");
  return {};
}

Result<void> import_evidence(const ImportOptions& options) {
  const std::string text = CANDOR_TRY(read_file(options.file));
  Result<std::vector<risk::EvidenceRecord>> records = Error::invalid_argument("unknown format");
  if (options.format == "csv") {
    records = risk::import_evidence_csv(text);
  } else if (options.format == "targets-csv") {
    if (options.vendor.empty()) {
      return Error::invalid_argument("--format targets-csv needs --vendor (e.g. \"NSO Group\")");
    }
    std::string dataset = std::filesystem::path(options.file).stem().string();
    if (const auto cut = dataset.find('_'); cut != std::string::npos) dataset.resize(cut);
    records = risk::import_targets_csv(text, options.vendor, dataset);
  } else if (options.format == "finfisher-tsv") {
    records = risk::import_finfisher_tsv(text);
  }
  if (!records.ok()) return std::move(records).error().within(options.file);
  risk::Snapshot data = CANDOR_TRY(risk::Snapshot::load_folder(options.data_folder));
  data.merge_evidence(records.value());
  CANDOR_TRY(data.save_folder(options.data_folder));
  std::fprintf(stderr, "candor: %zu evidence records from %s into %s\n", records->size(),
               options.file.c_str(), options.data_folder.c_str());
  return {};
}

}  // namespace

int run_assess(const AssessOptions& options) {
  auto done = assess_case(options);
  return done.ok() ? kExitOk : report(done.error());
}

int run_import(const ImportOptions& options) {
  auto done = options.what == "indicators" ? import_indicators(options) : import_evidence(options);
  return done.ok() ? kExitOk : report(done.error());
}

}  // namespace candor::cli
