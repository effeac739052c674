// Historical decisions published as open data, loaded into the register so the public pages,
// feeds and benchmarks run on real history. One format so far: "caat-uk", the UK export
// licences Campaign Against Arms Trade republishes (one row per licence and control rating:
// licence_group, date, rating, count, value in GBP, country as an English name, refused 0/1),
// with the ratings' descriptions from uk_ratings.csv.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "register/log.h"

namespace candor::reg {

// rating -> short description, from uk_ratings.csv (rating, military, short_description, ...).
// Errors: invalid_argument naming the line.
Result<std::map<std::string, std::string>> read_uk_ratings(std::string_view csv_text);

struct ImportReport {
  std::uint64_t rows = 0;
  std::uint64_t entries = 0;
  std::uint64_t refusals = 0;
  // Destinations written as names no ISO 3166-1 code stands for (e.g. "Continental Shelf"):
  // kept as destination_name, without a destination code.
  std::map<std::string, std::uint64_t> unmapped_destinations;
};

// A caat-uk file read and checked, one licence per licence_group: the rows of a group become
// one decision with all its ratings and the sum of its values as a band. The entries are built
// a slice at a time, so that an import can build one slice while it appends the one before.
class CaatUkFile {
 public:
  // `id_suffix` is appended to every entry_id (the benchmark loads the same history several
  // times). Errors: invalid_argument "line N: ..." for a missing column, a bad date, value or
  // refused flag, or rows of one licence that disagree on date, destination or decision.
  static Result<CaatUkFile> read(std::string_view csv_text,
                                 std::map<std::string, std::string> ratings, ImportReport& report,
                                 std::string id_suffix = "");

  std::size_t size() const { return licences_.size(); }
  // The entries of licences [begin, end), in the file's order. Errors: invalid_argument for
  // text that is not UTF-8.
  Result<std::vector<NewEntry>> entries(std::size_t begin, std::size_t end) const;

  struct Licence {
    std::string group;
    std::string date;
    std::string country;
    bool refused = false;
    std::vector<std::string> ratings;
    std::int64_t value = 0;
    bool has_value = false;
  };

 private:
  std::vector<Licence> licences_;
  std::map<std::string, std::string> ratings_;
  std::string id_suffix_;
};

// The whole file's entries at once (built on two threads). Errors: as CaatUkFile.
Result<std::vector<NewEntry>> read_caat_uk(std::string_view csv_text,
                                           const std::map<std::string, std::string>& ratings,
                                           ImportReport& report, std::string_view id_suffix = "");

// The item category an entry gets from a control rating: "military" (ML), "dual_use_N" (the
// category digit of Annex I), "national" (UK PL), or "other".
std::string category_of_rating(std::string_view rating);

}  // namespace candor::reg
