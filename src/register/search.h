// Searching the public register: the filters the public pages, feeds and downloads share, and
// the statistics they show. Every filter is an equality on an indexed column (exporter: a
// prefix of its case-folded name), so a page of the newest matches costs O(page) index reads
// at any size of log. Entries a later entry corrects are left out: a search shows what stands.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/database.h"

namespace candor::reg {

// Percent-encodes all but letters, digits, '-', '_' and '.', for query strings and paths.
std::string percent_encode(std::string_view text);

// Lower case (ASCII), single spaces, no spaces at the ends: how exporter names are compared.
std::string search_key(std::string_view text);

struct Query {
  std::string destination;  // ISO 3166-1 alpha-2
  std::string control;      // a control entry, e.g. 5A001.f
  std::string decision;     // granted, refused, ...
  std::int64_t year = 0;    // 0: any
  std::string authority;    // member state code
  std::string exporter;     // prefix of the name, any case
  std::string end_user_type;
  std::string category;

  // Reads the filters from request parameters (missing or empty: any). Errors:
  // invalid_argument naming the parameter that is not acceptable.
  static Result<Query> from(const std::function<std::optional<std::string>(std::string_view)>& get);
  // The parameters again, in a fixed order, for links ("destination=MX&decision=refused").
  std::string to_params() const;
  bool empty() const { return to_params().empty(); }
  // Whether register_summary can count it (no control, exporter or end-user filter).
  bool summarised() const { return control.empty() && exporter.empty() && end_user_type.empty(); }
};

struct Hit {
  std::uint64_t index = 0;
  std::string entry_id;
  std::string leaf_input;  // Only when asked for (search's `with_entry`).
  std::string published_at;
  // The searchable columns, enough to list the entry without parsing it.
  std::string decision, decision_date, destination, destination_name, category, control_entries,
      exporter, value_band, description;
};

struct Page {
  std::vector<Hit> hits;
  bool more = false;  // Matches follow this page.
  // All matches, when the summary can count them (Query::summarised); counting the others
  // would cost a walk over every match, which a page of results must not.
  std::optional<std::uint64_t> total;
};

// How many entries match, when the summary can count them (Query::summarised), else nullopt.
Result<std::optional<std::uint64_t>> count(store::Connection& c, const Query& query);

// The newest matches first; skips `offset`, or with `before`, starts below that index. Does
// not count (Page::total stays empty): see count().
Result<Page> search(store::Connection& c, const Query& query, std::uint64_t offset,
                    std::uint64_t limit, std::optional<std::uint64_t> before = std::nullopt,
                    bool with_entry = true);

struct Count {
  std::string authority;
  std::int64_t year = 0;
  std::string destination;
  std::string decision;
  std::string category;
  std::int64_t entries = 0;
};
// register_summary rows matching the summarised filters of `query` (others are ignored).
Result<std::vector<Count>> counts(store::Connection& c, const Query& query);

}  // namespace candor::reg
