// The register's statistics (tables, bar charts and the world map) and the annual report in
// the shape of Art. 26, both from the per-year summary the log keeps as it grows.
#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

#include "core/csv.h"
#include "register/log.h"
#include "register/search.h"
#include "web/charts.h"
#include "web/handlers/app.h"
#include "web/register_views.h"
#include "web/respond.h"

namespace candor::web {

using nlohmann::json;
using namespace register_views;

namespace {

struct Tally {
  std::map<std::string, std::int64_t> by_destination, by_category, by_decision;
  std::map<std::int64_t, std::int64_t> by_year;
  std::int64_t total = 0;
};

Tally tally(const std::vector<reg::Count>& counts) {
  Tally t;
  for (const auto& c : counts) {
    if (c.entries <= 0) continue;
    t.by_destination[c.destination] += c.entries;
    t.by_category[c.category] += c.entries;
    t.by_decision[c.decision] += c.entries;
    t.by_year[c.year] += c.entries;
    t.total += c.entries;
  }
  return t;
}

json rows_of(const std::vector<Bar>& bars,
             const std::function<std::string(const std::string&)>& href) {
  json out = json::array();
  for (const auto& b : bars) {
    out.push_back({{"label", b.label},
                   {"value", grouped(static_cast<std::uint64_t>(b.value))},
                   {"href", href(b.label)}});
  }
  return out;
}

}  // namespace

void get_register_statistics(const httplib::Request& request, httplib::Response& response,
                             Context& context) {
  auto query = query_of(request);
  if (!query.ok()) return fail(request, response, context, query.error());
  // Statistics come from the summary, which counts by destination, category, year, decision
  // and authority; the other filters do not apply here.
  query->control.clear();
  query->exporter.clear();
  query->end_user_type.clear();
  auto lease = context.db.acquire();
  if (!lease.ok()) return fail(request, response, context, lease.error());
  auto counts = context.register_index.counts(**lease, *query);
  if (!counts.ok()) return fail(request, response, context, counts.error());
  auto choices = filter_choices(**lease, context.register_index);
  if (!choices.ok()) return fail(request, response, context, choices.error());
  const Tally t = tally(*counts);
  const std::string params = query->to_params();

  std::vector<std::pair<std::int64_t, std::string>> destinations;
  for (const auto& [code, n] : t.by_destination) destinations.emplace_back(-n, code);
  std::sort(destinations.begin(), destinations.end());
  std::vector<Bar> destination_bars;
  json destination_rows = json::array();
  for (const auto& [negative, code] : destinations) {
    const std::string name = code.empty() ? "No country code" : country_name(code);
    if (destination_bars.size() < 20) destination_bars.push_back({name, -negative});
    reg::Query q = *query;
    q.destination = code;
    destination_rows.push_back(
        {{"label", name},
         {"value", grouped(static_cast<std::uint64_t>(-negative))},
         {"href", code.empty() ? "" : with_params("/register", q.to_params())}});
  }
  std::vector<Bar> year_bars;
  std::vector<Bar> decision_bars;
  std::vector<Bar> category_bars;
  for (const auto& [year, n] : t.by_year) year_bars.push_back({std::to_string(year), n});
  for (const auto& [code, label] : kDecisions) {
    if (const auto it = t.by_decision.find(code); it != t.by_decision.end()) {
      decision_bars.push_back({label, it->second});
    }
  }
  std::vector<std::pair<std::int64_t, std::string>> categories;
  for (const auto& [code, n] : t.by_category) categories.emplace_back(-n, code);
  std::sort(categories.begin(), categories.end());
  category_bars.reserve(categories.size());
  for (const auto& [negative, code] : categories) {
    category_bars.push_back({category_label(code), -negative});
  }

  std::map<std::string, std::int64_t> map_values;
  for (const auto& [code, n] : t.by_destination) {
    if (!code.empty()) map_values[code] = n;
  }
  const std::string what = describe(*query);
  json data = {
      {"description", what},
      {"total", grouped(static_cast<std::uint64_t>(t.total))},
      {"has_data", t.total > 0},
      {"map_svg", world_map_svg(what + ": decisions by destination", map_values)},
      {"destinations_svg",
       bar_chart_svg(what + ": the 20 destinations with most decisions", destination_bars)},
      {"years_svg", bar_chart_svg(what + " by year", year_bars)},
      {"decisions_svg", bar_chart_svg(what + " by decision", decision_bars)},
      {"categories_svg", bar_chart_svg(what + " by item category", category_bars)},
      {"destination_rows", destination_rows},
      {"year_rows", rows_of(year_bars,
                            [&](const std::string& y) {
                              reg::Query q = *query;
                              q.year = std::stoll(y);
                              return with_params("/register/statistics", q.to_params());
                            })},
      {"decision_rows", rows_of(decision_bars, [](const std::string&) { return ""; })},
      {"category_rows", rows_of(category_bars, [](const std::string&) { return ""; })},
      {"destinations", options_with((**choices)["destinations"], query->destination, "Any")},
      {"decisions", options_with((**choices)["decisions"], query->decision, "Any")},
      {"years", options_with((**choices)["years"],
                             query->year == 0 ? "" : std::to_string(query->year), "Any")},
      {"authorities", options_with((**choices)["authorities"], query->authority, "Any")},
      {"categories", options_with((**choices)["categories"], query->category, "Any")},
      {"search_href", with_params("/register", params)}};
  respond_page(response, context, "register_statistics.html", data, "Register statistics");
}

void get_register_report(const httplib::Request& request, httplib::Response& response,
                         Context& context) {
  auto query = query_of(request);
  if (!query.ok()) return fail(request, response, context, query.error());
  if (query->year == 0) {
    // The latest year with decisions.
    auto lease = context.db.acquire();
    if (!lease.ok()) return fail(request, response, context, lease.error());
    auto choices = filter_choices(**lease, context.register_index);
    if (!choices.ok()) return fail(request, response, context, choices.error());
    const auto& years = (**choices)["years"];
    query->year = years.empty() ? std::stoll(context.clock.now().date().substr(0, 4))
                                : std::stoll(years[0]["value"].get<std::string>());
  }
  reg::Query q;
  q.year = query->year;
  q.authority = query->authority;
  // The figures and the checkpoint they are computed from must describe the same entries: sign
  // (or find) the checkpoint of the current size, then count only if no entry came in between.
  std::string note;
  std::vector<reg::Count> counts;
  std::uint64_t size = 0;
  for (int attempt = 0;; ++attempt) {
    if (context.register_key == nullptr) {
      return fail(request, response, context,
                  Error::unavailable("the register has no signing key (candor admin keygen)"));
    }
    auto signed_note =
        context.log.sign_checkpoint(*context.register_key, context.register_key->name);
    if (!signed_note.ok()) return fail(request, response, context, signed_note.error());
    auto read = context.db.transact<std::uint64_t>(
        store::TransactionMode::read, [&](store::Connection& c) -> Result<std::uint64_t> {
          const std::uint64_t entries = CANDOR_TRY(log_size(c));
          counts = CANDOR_TRY(context.register_index.counts(c, q, entries));
          return entries;
        });
    if (!read.ok()) return fail(request, response, context, read.error());
    auto opened = reg::open_note(*signed_note, context.register_key->verifier());
    auto checkpoint =
        opened.ok() ? reg::Checkpoint::parse(*opened) : Result<reg::Checkpoint>(opened.error());
    if (!checkpoint.ok()) return fail(request, response, context, checkpoint.error());
    if (checkpoint->size == *read) {
      note = *signed_note;
      size = *read;
      break;
    }
    if (attempt == 3) {
      return fail(request, response, context,
                  Error::unavailable("the register is growing too fast to report on; try again"));
    }
  }
  // Rows: issuing state, item (category), destination, decision.
  std::map<std::tuple<std::string, std::string, std::string>, std::map<std::string, std::int64_t>>
      rows;
  std::map<std::string, std::int64_t> totals;
  for (const auto& c : counts) {
    if (c.entries <= 0) continue;
    rows[{c.authority, c.category, c.destination}][c.decision] += c.entries;
    totals[c.decision] += c.entries;
  }
  std::vector<std::string> decisions;
  for (const auto& [code, label] : kDecisions) {
    if (totals.contains(code)) decisions.emplace_back(code);
  }
  if (request.path.ends_with(".csv")) {
    std::vector<std::string> header = {"year", "issuing_member_state", "item_category",
                                       "destination", "destination_name"};
    header.insert(header.end(), decisions.begin(), decisions.end());
    header.emplace_back("total");
    // Every row names the checkpoint the figures were computed from.
    const auto checkpoint =
        reg::Checkpoint::parse(reg::open_note(note, context.register_key->verifier()).value())
            .value();
    const std::string root = reg::base64(reg::to_bytes(checkpoint.root));
    header.insert(header.end(), {"checkpoint_origin", "checkpoint_size", "checkpoint_root"});
    std::string out;
    out += csv::format_spreadsheet_record(header);
    for (const auto& [key, by_decision] : rows) {
      const auto& [authority, category, destination] = key;
      std::vector<std::string> record = {std::to_string(q.year), authority, category, destination,
                                         country_name(destination)};
      std::int64_t total = 0;
      for (const auto& d : decisions) {
        const auto it = by_decision.find(d);
        const std::int64_t n = it == by_decision.end() ? 0 : it->second;
        record.push_back(std::to_string(n));
        total += n;
      }
      record.push_back(std::to_string(total));
      record.insert(record.end(), {checkpoint.origin, std::to_string(size), root});
      out += csv::format_spreadsheet_record(record);
    }
    response.set_header("Access-Control-Allow-Origin", "*");
    response.set_header("Content-Disposition", "attachment; filename=\"candor-report-" +
                                                   std::to_string(q.year) + ".csv\"");
    response.set_content(out, "text/csv; charset=utf-8");
    return;
  }
  json header = json::array();
  for (const auto& d : decisions) header.push_back(decision_label(d));
  json table = json::array();
  for (const auto& [key, by_decision] : rows) {
    const auto& [authority, category, destination] = key;
    json cells = json::array();
    std::int64_t total = 0;
    for (const auto& d : decisions) {
      const auto it = by_decision.find(d);
      const std::int64_t n = it == by_decision.end() ? 0 : it->second;
      cells.push_back(grouped(static_cast<std::uint64_t>(n)));
      total += n;
    }
    table.push_back(
        {{"authority", country_name(authority)},
         {"category", category_label(category)},
         {"destination", destination.empty() ? "No country code" : country_name(destination)},
         {"cells", cells},
         {"total", grouped(static_cast<std::uint64_t>(total))}});
  }
  json total_cells = json::array();
  std::int64_t grand = 0;
  for (const auto& d : decisions) {
    total_cells.push_back(grouped(static_cast<std::uint64_t>(totals[d])));
    grand += totals[d];
  }
  auto choices = [&]() -> json {
    auto lease = context.db.acquire();
    if (!lease.ok()) return json::object();
    auto c = filter_choices(**lease, context.register_index);
    return c.ok() ? **c : json::object();
  }();
  json years = json::array();
  for (const auto& y : choices.value("years", json::array())) {
    years.push_back({{"value", y["value"]},
                     {"label", y["label"]},
                     {"selected", y["value"] == std::to_string(q.year)}});
  }
  json data = {{"year", q.year},
               {"years", years},
               {"authority", q.authority},
               {"size", grouped(size)},
               {"checkpoint", note},
               {"header", header},
               {"rows", table},
               {"has_rows", !table.empty()},
               {"total_cells", total_cells},
               {"grand_total", grouped(static_cast<std::uint64_t>(grand))},
               {"csv_href", "/register/report.csv?" + q.to_params()}};
  respond_page(response, context, "register_report.html", data,
               "Annual report " + std::to_string(q.year));
}

}  // namespace candor::web
