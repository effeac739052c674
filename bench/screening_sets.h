// Reading the labelled name sets of ../shared/data/screening for the screening benchmarks.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/country.h"
#include "core/csv.h"
#include "core/files.h"
#include "screening/match.h"

namespace candor::bench {

// The records of a CSV file after its header (at most `limit`), without lines starting with
// '#' when skip_comments is set. Exits with a message when the file cannot be read.
inline std::vector<std::vector<std::string>> read_rows(const std::string& path, bool skip_comments,
                                                       std::size_t limit = SIZE_MAX,
                                                       bool has_header = true) {
  auto text = read_file(path);
  if (!text.ok()) {
    std::fprintf(stderr, "%s\n", text.error().to_string().c_str());
    std::exit(1);
  }
  std::string body;
  std::size_t start = 0;
  while (start < text->size()) {
    auto end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    const std::string line = text->substr(start, end - start);
    if (!skip_comments || (!line.empty() && line[0] != '#')) body += line + "\n";
    start = end + 1;
  }
  csv::Reader reader(body);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> fields;
  if (has_header) (void)reader.next(fields);
  while (rows.size() < limit) {
    auto more = reader.next(fields);
    if (!more.ok() || !more.value()) break;
    rows.push_back(fields);
  }
  return rows;
}

// The facts of a positives/negatives row (full_name, ..., date_of_birth, place_of_birth,
// nationality): a person with that date of birth and nationality.
inline screening::QueryFacts facts_of(const std::vector<std::string>& row) {
  screening::QueryFacts facts;
  facts.birth_date = row.size() > 5 ? row[5] : "";
  if (row.size() > 7) {
    auto code = row[7].size() == 2 ? CountryCode::parse(row[7]) : CountryCode::from_name(row[7]);
    if (code.ok()) facts.country = std::string(code->alpha2());
  }
  facts.type = screening::EntityType::person;
  return facts;
}

}  // namespace candor::bench
