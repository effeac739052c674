// Searching the public register: the filters the public pages, feeds and downloads share, what
// a search returns, and the counts statistics show. Every filter is an equality (exporter: a
// prefix of the case-folded name); entries a later entry corrects are left out, as a search
// shows what stands. The searching itself is register/index.h.
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
  bool more = false;                   // Matches follow this page.
  std::optional<std::uint64_t> total;  // All matches, when counted (Index::count).
};

struct Count {
  std::string authority;
  std::int64_t year = 0;
  std::string destination;
  std::string decision;
  std::string category;
  std::int64_t entries = 0;
};

}  // namespace candor::reg
