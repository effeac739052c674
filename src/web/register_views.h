// What the register's public pages share (handlers/public_register.cc and
// handlers/register_statistics.cc): the names of codes, the search a request asks for, an entry
// as the pages show it, and what is cached from the summary until the log grows.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "register/search.h"
#include "store/database.h"
#include "web/server.h"

namespace candor::web::register_views {

// Decisions in the order reports list them: (code, label).
extern const std::pair<const char*, const char*> kDecisions[8];
extern const char* const kEndUserTypes[8];

std::string decision_label(const std::string& code);
std::string category_label(const std::string& code);
// "other_government" -> "Other government".
std::string words(const std::string& code);
// The ISO short name of an alpha-2 code, or the text as given.
std::string country_name(const std::string& code);
// 1234567 -> "1,234,567".
std::string grouped(std::uint64_t value);

Result<reg::Query> query_of(const httplib::Request& request);
// "Refused decisions on 5A001 to Mexico in 2014": what a search is, in words.
std::string describe(const reg::Query& q);
std::string with_params(const std::string& path, const std::string& params);
// The scheme and host the visitor used, for links in feeds (a Host that is not a host name
// becomes "localhost").
std::string base_url(const httplib::Request& request, Context& context);

// An entry's fields as the pages and downloads show them, from its canonical JSON.
nlohmann::json entry_view(std::uint64_t index, const std::string& leaf_input,
                          const std::string& published_at);

Result<std::uint64_t> log_size(store::Connection& c);
// The number of matches of a search (cached per log size).
Result<std::uint64_t> cached_count(store::Connection& c, reg::Index& index, const reg::Query& query,
                                   std::uint64_t size);
// The search form's choices (destinations, authorities, categories, decisions, years), each a
// list of {value, label}; shared, not copied, and rebuilt when the log grows.
Result<std::shared_ptr<const nlohmann::json>> filter_choices(store::Connection& c,
                                                             reg::Index& index);
// <option> elements, the chosen one selected, written directly (see the .cc).
std::string options_html(const nlohmann::json& list, const std::string& selected,
                         const std::string& any);
// The same for a template: [{value, label, selected}] with "any" first.
nlohmann::json options_with(nlohmann::json list, const std::string& selected,
                            const std::string& any);

void fail(const httplib::Request& request, httplib::Response& response, Context& context,
          const Error& error);

}  // namespace candor::web::register_views
