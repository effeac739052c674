// `candor import decisions` and `candor register verify`: loading historical decisions into
// the register, and checking a register from outside as a journalist or monitor would.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <httplib.h>

#include "cli/cli.h"
#include "cli/database_setup.h"
#include "core/canonical_json.h"
#include "core/files.h"
#include "core/timestamp.h"
#include "licensing/audit.h"
#include "register/fields.h"
#include "register/import.h"
#include "register/log.h"
#include "register/publish.h"
#include "register/verify.h"
#include "web/peer_client.h"

namespace candor::cli {

namespace {

// The descriptions of the UK ratings: --ratings, or uk_ratings.csv beside the licences (where
// the publisher ships it), or none.
Result<std::map<std::string, std::string>> ratings_for(const ImportDecisionsOptions& options) {
  std::string path = options.ratings;
  if (path.empty()) {
    const auto beside = std::filesystem::path(options.file).parent_path() / "uk_ratings.csv";
    std::error_code ec;
    if (std::filesystem::exists(beside, ec)) path = beside.string();
  }
  if (path.empty()) return std::map<std::string, std::string>();
  const std::string text = CANDOR_TRY(read_file(path));
  auto parsed = reg::read_uk_ratings(text);
  if (!parsed.ok()) return std::move(parsed).error().within(path);
  return parsed;
}

// When the register already holds decisions of this file, the entries it lacks (`already`
// counts the others); nothing on a first import, which builds its entries as it writes them.
// Entries with the same bytes are skipped, so the same file (or a longer edition of it) can be
// imported again; different bytes under an id are refused.
Result<std::optional<std::vector<reg::NewEntry>>> entries_not_yet_imported(
    store::Database& db, const reg::CaatUkFile& file, std::uint64_t& already) {
  auto lease = CANDOR_TRY(db.acquire());
  auto any = CANDOR_TRY(lease->query(
      "SELECT 1 FROM register_entries WHERE entry_id >= 'GB-CAAT-' AND entry_id < 'GB-CAAT.' "
      "LIMIT 1"));
  if (any.empty()) return std::optional<std::vector<reg::NewEntry>>();
  std::vector<reg::NewEntry> fresh;
  for (auto& entry : CANDOR_TRY(file.entries(0, file.size()))) {
    auto stored = CANDOR_TRY(lease->query(
        "SELECT leaf_input FROM register_entries WHERE entry_id = $1", {entry.entry_id}));
    if (stored.empty()) {
      fresh.push_back(std::move(entry));
      continue;
    }
    const auto blob = stored[0].get<store::Blob>(0);
    if (!blob.ok() || std::string(blob->bytes.begin(), blob->bytes.end()) != entry.leaf_input) {
      return Error::conflict("entry " + entry.entry_id +
                             " is already in the register with other contents; a published "
                             "entry is never changed (publish a correction)");
    }
    ++already;
  }
  return std::optional<std::vector<reg::NewEntry>>(std::move(fresh));
}

}  // namespace

int run_import_decisions(const ImportDecisionsOptions& options) {
  if (options.format != "caat-uk") {
    return report(Error::invalid_argument("--format: only caat-uk is known"));
  }
  auto text = read_file(options.file);
  if (!text.ok()) return report(std::move(text).error());
  auto ratings = ratings_for(options);
  if (!ratings.ok()) return report(std::move(ratings).error());
  reg::ImportReport summary;
  auto file = reg::CaatUkFile::read(*text, std::move(ratings).value(), summary);
  if (!file.ok()) return report(std::move(file).error().within(options.file));
  auto opened = open_and_migrate(options.db_path);
  if (!opened.ok()) return report(std::move(opened).error());
  const SystemClock clock;
  reg::Log log(*opened->db, clock);
  // Entries already in the register with the same bytes are skipped, so the same file (or a
  // longer edition of it) can be imported again; different bytes under an id are refused.
  std::uint64_t already = 0;
  auto not_yet = entries_not_yet_imported(*opened->db, *file, already);
  if (!not_yet.ok()) return report(std::move(not_yet).error().within(options.file));
  std::optional<std::vector<reg::NewEntry>> entries = std::move(not_yet).value();
  if (entries && entries->empty()) {
    std::printf("All %llu decisions of %s are already in the register of %s.\n",
                static_cast<unsigned long long>(already), options.file.c_str(),
                opened->db->describe().c_str());
    return kExitOk;
  }
  // A first import builds the entries slice by slice while the slice before is written.
  auto first = entries ? log.append(*entries)
                       : log.append_built(file->size(), [&](std::size_t begin, std::size_t end) {
                           return file->entries(begin, end);
                         });
  if (!first.ok()) return report(std::move(first).error().within(options.file));
  const std::size_t imported = entries ? entries->size() : file->size();
  std::printf(
      "Imported %llu decisions (%llu refusals) from %llu rows into %s: entries %llu to %llu.\n",
      static_cast<unsigned long long>(imported), static_cast<unsigned long long>(summary.refusals),
      static_cast<unsigned long long>(summary.rows), opened->db->describe().c_str(),
      static_cast<unsigned long long>(*first),
      static_cast<unsigned long long>(*first + imported - 1));
  if (already > 0) {
    std::printf("  %llu decisions were already in the register and are left as they are\n",
                static_cast<unsigned long long>(already));
  }
  for (const auto& [name, count] : summary.unmapped_destinations) {
    std::printf("  no country code for \"%s\" (%llu decisions): kept as destination_name\n",
                name.c_str(), static_cast<unsigned long long>(count));
  }
  return kExitOk;
}

int run_register_correct(const CorrectOptions& options) {
  std::vector<std::pair<std::string, std::string>> changes;
  for (const auto& change : options.changes) {
    const auto equals = change.find('=');
    if (equals == std::string::npos || equals == 0) {
      return report(Error::invalid_argument("--set " + change + ": expected FIELD=VALUE"));
    }
    changes.emplace_back(change.substr(0, equals), change.substr(equals + 1));
  }
  auto opened = open_and_migrate(options.db_path);
  if (!opened.ok()) return report(std::move(opened).error());
  const SystemClock clock;
  const Timestamp now = clock.now();
  reg::Log log(*opened->db, clock);
  auto published = opened->db->transact<std::pair<std::string, std::uint64_t>>(
      store::TransactionMode::write,
      [&](store::Connection& c) -> Result<std::pair<std::string, std::uint64_t>> {
        auto rows = CANDOR_TRY(c.query(
            "SELECT leaf_input FROM register_entries WHERE entry_id = $1", {options.entry}));
        if (rows.empty()) {
          return Error::invalid_argument("there is no entry " + options.entry + " in the register");
        }
        auto later = CANDOR_TRY(
            c.query("SELECT entry_id FROM register_entries WHERE corrects = $1 AND corrects <> ''",
                    {options.entry}));
        if (!later.empty()) {
          const auto by = CANDOR_TRY(later[0].get<std::string>(0));
          return Error::conflict(options.entry + " was already corrected by " + by +
                                 ": correct that entry instead");
        }
        const auto blob = CANDOR_TRY(rows[0].get<store::Blob>(0));
        const auto old = reg::parse_entry(
            std::string_view(reinterpret_cast<const char*>(blob.bytes.data()), blob.bytes.size()));
        // The correction's number: one more than the corrections of the same first entry.
        std::string base = options.entry;
        if (const auto at = base.rfind("-c"); at != std::string::npos && old.contains("corrects")) {
          base = base.substr(0, at);
        }
        auto earlier = CANDOR_TRY(
            c.query("SELECT COUNT(*) FROM register_entries WHERE entry_id >= $1 AND entry_id < $2",
                    {base + "-c", base + "-d"}));
        const int number = static_cast<int>(CANDOR_TRY(earlier.at(0).get<std::int64_t>(0))) + 1;
        const auto entry =
            CANDOR_TRY(reg::correction_of(old, changes, options.reason, now.date(), number));
        const std::string bytes = CANDOR_TRY(json::canonical(entry));
        const auto index = CANDOR_TRY(log.append(c, {reg::columns_of(entry, bytes)}));
        CANDOR_TRY(licensing::audit(c, now, "system", "register.correct", "entry:" + options.entry,
                                    {{"correction", entry["entry_id"]},
                                     {"reason", options.reason},
                                     {"changes", options.changes}}));
        return std::make_pair(entry["entry_id"].get<std::string>(), index);
      });
  if (!published.ok()) return report(std::move(published).error());
  std::printf("Published %s, correcting %s, as entry %llu of the register.\n",
              published->first.c_str(), options.entry.c_str(),
              static_cast<unsigned long long>(published->second));
  return kExitOk;
}

namespace {

constexpr int kExitMismatch = 3;

}  // namespace

int run_register_verify(const VerifyOptions& options) {
  reg::VerifyRequest request;
  request.full = options.full;
  if (!options.key.empty()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(options.key, ec)) {
      auto text = read_file(options.key, std::size_t{64} * 1024);
      if (!text.ok()) return report(std::move(text).error());
      request.key = *text;
    } else {
      request.key = options.key;
    }
  }
  std::error_code ec;
  if (!options.state.empty() && std::filesystem::exists(options.state, ec)) {
    auto text = read_file(options.state, std::size_t{1024} * 1024);
    if (!text.ok()) return report(std::move(text).error());
    auto state = reg::VerifyState::parse(*text);
    if (!state.ok()) return report(std::move(state).error().within(options.state));
    request.previous = std::move(state).value();
  }
  auto remote = web::HttpRemote::connect(options.url);
  if (!remote.ok()) return report(std::move(remote).error());
  const SystemClock clock;
  auto verdict = reg::verify_register(**remote, request, clock.now().to_rfc3339());
  if (!verdict.ok()) return report(std::move(verdict).error());
  for (const auto& line : verdict->checked) std::printf("ok: %s\n", line.c_str());
  if (!verdict->ok) {
    std::printf("FAILED: %s\n", verdict->failure.c_str());
    std::printf("The register at %s does not verify.%s\n", options.url.c_str(),
                options.state.empty() ? "" : " The state file is left as it was.");
    return kExitMismatch;
  }
  if (!options.state.empty()) {
    // Written beside and renamed, so a crash never leaves half a state.
    const std::string temporary = options.state + ".tmp";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << verdict->next.to_json();
      if (!out.flush()) {
        return report(Error::unavailable("cannot write " + temporary));
      }
    }
    std::filesystem::rename(temporary, options.state, ec);
    if (ec)
      return report(Error::unavailable("cannot write " + options.state + ": " + ec.message()));
  }
  std::printf("VERIFIED: %s, %llu entries.%s\n", options.url.c_str(),
              static_cast<unsigned long long>(verdict->checkpoint.size),
              options.state.empty() ? "" : (" Checkpoint kept in " + options.state + ".").c_str());
  return kExitOk;
}

}  // namespace candor::cli
