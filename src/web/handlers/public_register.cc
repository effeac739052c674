// The public register's pages (no sign-in, no JavaScript): search with filters and paging, one
// page per entry with its inclusion proof, an Atom feed and CSV/JSON downloads of any search,
// and how to verify the register. Statistics and the annual report: register_statistics.cc.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "core/csv.h"
#include "register/fields.h"
#include "register/log.h"
#include "register/search.h"
#include "web/charts.h"
#include "web/handlers/app.h"
#include "web/handlers/page_support.h"
#include "web/register_views.h"
#include "web/respond.h"

namespace candor::web {
namespace {

using nlohmann::json;
using namespace register_views;

constexpr std::uint64_t kPageSize = 20;
// Deep pages cost a walk of the index; past this, the downloads are the way through.
constexpr std::uint64_t kMaxPage = 500;
constexpr std::uint64_t kFeedSize = 50;
constexpr std::uint64_t kDownloadChunk = 1000;

// One search result. Written here rather than in the template: twenty of them through the
// template engine cost more than the search (the markup is the list in register_search.html).
std::string result_html(const reg::Hit& hit) {
  std::string controls = hit.control_entries;
  for (std::size_t pos = 0; (pos = controls.find(' ', pos)) != std::string::npos; pos += 2) {
    controls.replace(pos, 1, ", ");
  }
  const std::string destination =
      hit.destination.empty() ? hit.destination_name : country_name(hit.destination);
  const std::string label = decision_label(hit.decision);
  std::string out =
      "<li class=\"candor-result\">\n<h3 class=\"govuk-heading-s candor-result__title\">"
      "<a class=\"govuk-link\" href=\"/register/decisions/" +
      reg::percent_encode(hit.entry_id) + "\">" + xml_escape(label) + ": " + xml_escape(controls);
  if (!destination.empty()) out += " to " + xml_escape(destination);
  out += "</a></h3>\n<p class=\"govuk-body-s candor-result__meta\">\n<strong class=\"govuk-tag ";
  out += hit.decision == "refused" ? "govuk-tag--red" : "govuk-tag--grey";
  out += "\">" + xml_escape(label) + "</strong>\n" + xml_escape(hit.decision_date) + " · " +
         xml_escape(category_label(hit.category));
  if (!hit.value_band.empty()) out += " · " + xml_escape(hit.value_band);
  if (!hit.exporter.empty()) out += " · " + xml_escape(hit.exporter);
  out += "\n</p>\n<p class=\"govuk-body-s\">" + xml_escape(hit.description) + "</p>\n</li>\n";
  return out;
}

}  // namespace

void get_register_search(const httplib::Request& request, httplib::Response& response,
                         Context& context) {
  auto query = query_of(request);
  if (!query.ok()) return fail(request, response, context, query.error());
  std::uint64_t page = 1;
  if (request.has_param("page")) {
    const std::string text = request.get_param_value("page");
    const bool digits =
        !text.empty() && text.size() <= 4 &&
        std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits || std::stoull(text) < 1 || std::stoull(text) > kMaxPage) {
      return fail(
          request, response, context,
          Error::invalid_argument("page: must be a number from 1 to " + std::to_string(kMaxPage)));
    }
    page = std::stoull(text);
  }
  auto lease = context.db.acquire();
  if (!lease.ok()) return fail(request, response, context, lease.error());
  auto found = context.register_index.search(**lease, *query, (page - 1) * kPageSize, kPageSize,
                                             std::nullopt, /*with_entry=*/false);
  if (!found.ok()) return fail(request, response, context, found.error());
  auto choices = filter_choices(**lease, context.register_index);
  if (!choices.ok()) return fail(request, response, context, choices.error());
  auto size = log_size(**lease);
  if (!size.ok()) return fail(request, response, context, size.error());
  auto total = cached_count(**lease, context.register_index, *query, *size);
  if (!total.ok()) return fail(request, response, context, total.error());
  found->total = *total;

  const std::string params = query->to_params();
  std::string results;
  for (const auto& hit : found->hits) {
    results += result_html(hit);
  }
  const bool has_next = found->more && page < kMaxPage;
  const auto page_href = [&](std::uint64_t n) {
    std::string p = params;
    if (n > 1) p += (p.empty() ? "" : "&") + std::string("page=") + std::to_string(n);
    return with_params("/register", p);
  };
  json data = {
      {"description", describe(*query)},
      {"filtered", !query->empty()},
      {"results_html", results},
      {"has_results", !results.empty()},
      {"total", grouped(found->total.value_or(0))},
      {"single", found->total.value_or(0) == 1},
      {"page", page},
      {"pages", std::max<std::uint64_t>(1, (found->total.value_or(0) + kPageSize - 1) / kPageSize)},
      {"control", query->control},
      {"exporter", query->exporter},
      {"destination_options", options_html((**choices)["destinations"], query->destination, "Any")},
      {"decision_options", options_html((**choices)["decisions"], query->decision, "Any")},
      {"year_options", options_html((**choices)["years"],
                                    query->year == 0 ? "" : std::to_string(query->year), "Any")},
      {"authority_options", options_html((**choices)["authorities"], query->authority, "Any")},
      {"category_options", options_html((**choices)["categories"], query->category, "Any")},
      {"feed_href", with_params("/register/feed.atom", params)},
      {"csv_href", with_params("/register/search.csv", params)},
      {"json_href", with_params("/register/search.json", params)},
      {"statistics_href", with_params("/register/statistics", params)}};
  json end_users = json::array();
  for (const char* code : kEndUserTypes) {
    end_users.push_back({{"value", code}, {"label", words(code)}});
  }
  data["end_user_type_options"] = options_html(end_users, query->end_user_type, "Any");
  if (page > 1) data["previous_href"] = page_href(page - 1);
  if (has_next) data["next_href"] = page_href(page + 1);
  respond_page(response, context, "register_search.html", data, "Public register");
}

namespace {

Result<json> decision_data(Context& context, const std::string& id) {
  auto lease = CANDOR_TRY(context.db.acquire());
  auto rows = CANDOR_TRY(
      lease->query("SELECT idx, leaf_input FROM register_entries WHERE entry_id = $1", {id}));
  if (rows.empty()) return Error::not_found("there is no entry " + id + " in the register");
  const auto index = static_cast<std::uint64_t>(CANDOR_TRY(rows[0].get<std::int64_t>(0)));
  const auto leaf_blob = CANDOR_TRY(rows[0].get<store::Blob>(1));
  const std::string leaf(leaf_blob.bytes.begin(), leaf_blob.bytes.end());
  json data = entry_view(index, leaf, CANDOR_TRY(reg::published_at(*lease, index)));
  data["leaf_input"] = leaf;
  data["leaf_hash"] = reg::to_hex(reg::leaf_hash(leaf));
  auto later = CANDOR_TRY(lease->query(
      "SELECT entry_id FROM register_entries WHERE corrects = $1 AND corrects <> ''", {id}));
  if (!later.empty()) {
    const std::string by = CANDOR_TRY(later[0].get<std::string>(0));
    data["corrected_by"] = by;
    data["corrected_by_href"] = "/register/decisions/" + reg::percent_encode(by);
  }
  if (context.mirror != nullptr) {
    auto origin = CANDOR_TRY(context.mirror->origin_of(index));
    if (!origin.is_null()) {
      origin["entries_href"] = origin["url"].get<std::string>() + "/register/entries?start=" +
                               std::to_string(origin["index"].get<std::int64_t>()) +
                               "&end=" + std::to_string(origin["index"].get<std::int64_t>() + 1);
      data["origin"] = origin;
    }
  }
  if (context.register_key == nullptr) return data;
  // The proof against the newest checkpoint that holds the entry (signing one if none does).
  const auto read = [&](const std::string& note) -> std::optional<reg::Checkpoint> {
    auto opened = reg::open_note(note, context.register_key->verifier());
    if (!opened.ok()) return std::nullopt;
    auto parsed = reg::Checkpoint::parse(*opened);
    return parsed.ok() ? std::optional<reg::Checkpoint>(*parsed) : std::nullopt;
  };
  std::optional<std::string> note = CANDOR_TRY(context.log.latest_checkpoint());
  std::optional<reg::Checkpoint> checkpoint = note ? read(*note) : std::nullopt;
  if (!checkpoint || checkpoint->size <= index) {
    note =
        CANDOR_TRY(context.log.sign_checkpoint(*context.register_key, context.register_key->name));
    checkpoint = read(*note);
  }
  if (!checkpoint || checkpoint->size <= index) return data;
  const auto path = CANDOR_TRY(context.log.inclusion_proof(index, checkpoint->size));
  json hashes = json::array();
  for (const auto& h : path) hashes.push_back(reg::base64(reg::to_bytes(h)));
  json proof = json::object();
  proof["checkpoint"] = *note;
  proof["tree_size"] = checkpoint->size;
  proof["path"] = hashes;
  proof["proof_href"] = "/register/proof/inclusion?index=" + std::to_string(index) +
                        "&tree_size=" + std::to_string(checkpoint->size);
  proof["entries_href"] =
      "/register/entries?start=" + std::to_string(index) + "&end=" + std::to_string(index + 1);
  data["proof"] = proof;
  return data;
}

}  // namespace

void get_register_decision(const httplib::Request& request, httplib::Response& response,
                           Context& context) {
  const std::string id = request.matches.size() > 1 ? request.matches[1].str() : "";
  auto data = decision_data(context, id);
  if (!data.ok()) return fail(request, response, context, data.error());
  (*data)["base_url"] = base_url(request, context);
  const std::string title = "Register entry " + id;
  respond_page(response, context, "register_entry.html", *data, title);
}

void get_register_download(const httplib::Request& request, httplib::Response& response,
                           Context& context) {
  auto query = query_of(request);
  if (!query.ok()) return fail(request, response, context, query.error());
  const bool as_csv = request.path.ends_with(".csv");
  // Streamed a thousand entries at a time, newest first, so a download of the whole register
  // holds one chunk in memory.
  struct Cursor {
    reg::Query query;
    std::optional<std::uint64_t> before;
    bool started = false;
    bool done = false;
    bool first_entry = true;
  };
  auto cursor = std::make_shared<Cursor>();
  cursor->query = *query;
  response.set_header("Access-Control-Allow-Origin", "*");
  response.set_header(
      "Content-Disposition",
      std::string("attachment; filename=\"candor-register.") + (as_csv ? "csv" : "json") + "\"");
  response.set_chunked_content_provider(
      as_csv ? "text/csv; charset=utf-8" : "application/json",
      [&context, cursor, as_csv](std::size_t, httplib::DataSink& sink) {
        if (cursor->done) {
          sink.done();
          return true;
        }
        std::string chunk;
        if (!cursor->started) {
          cursor->started = true;
          chunk = as_csv
                      ? csv::format_spreadsheet_record(
                            {"index", "entry_id", "decision", "decision_date", "member_state",
                             "destination", "destination_name", "control_entries", "item_category",
                             "item_description", "end_user_type", "value_band", "exporter",
                             "withheld", "criteria", "corrects"})
                      : "{\"query\":" + json(cursor->query.to_params()).dump() + ",\"entries\":[";
        }
        auto lease = context.db.acquire();
        if (!lease.ok()) return false;
        auto page = context.register_index.search(**lease, cursor->query, 0, kDownloadChunk,
                                                  cursor->before);
        if (!page.ok()) return false;
        for (const auto& hit : page->hits) {
          const auto e = reg::parse_entry(hit.leaf_input);
          if (as_csv) {
            const auto v = entry_view(hit.index, hit.leaf_input, hit.published_at);
            std::string withheld;
            for (const auto& w : v["withheld"]) {
              withheld += (withheld.empty() ? "" : "; ") + w["field"].get<std::string>() + " (" +
                          w["rule"].get<std::string>() + ")";
            }
            std::string criteria;
            for (const auto& c : v["criteria"]) {
              criteria += (criteria.empty() ? "" : " ") + c.get<std::string>();
            }
            chunk += csv::format_spreadsheet_record(
                {std::to_string(hit.index), v.value("entry_id", ""), v.value("decision", ""),
                 v.value("decision_date", ""), v.value("member_state", ""),
                 v.value("destination", ""), v.value("destination_name", ""),
                 v.value("control_entries", ""), v.value("category", ""),
                 v.value("description", ""), e.is_object() ? e.value("end_user_type", "") : "",
                 v.value("value_band", ""), v.value("exporter", ""), withheld, criteria,
                 v.value("corrects", "")});
          } else {
            chunk += (cursor->first_entry ? "" : ",");
            chunk += json{{"index", hit.index},
                          {"published_at", hit.published_at},
                          {"entry", e.is_discarded() ? json(nullptr) : e}}
                         .dump();
            cursor->first_entry = false;
          }
        }
        if (page->hits.size() < kDownloadChunk) {
          if (!as_csv) chunk += "]}\n";
          cursor->done = true;
        } else {
          cursor->before = page->hits.back().index;
        }
        return sink.write(chunk.data(), chunk.size());
      });
}

void get_register_feed(const httplib::Request& request, httplib::Response& response,
                       Context& context) {
  auto query = query_of(request);
  if (!query.ok()) return fail(request, response, context, query.error());
  auto lease = context.db.acquire();
  if (!lease.ok()) return fail(request, response, context, lease.error());
  auto page = context.register_index.search(**lease, *query, 0, kFeedSize);
  if (!page.ok()) return fail(request, response, context, page.error());
  const std::string base = base_url(request, context);
  const std::string params = query->to_params();
  const std::string self = base + with_params("/register/feed.atom", params);
  std::string updated = "1970-01-01T00:00:00Z";
  for (const auto& hit : page->hits) updated = std::max(updated, hit.published_at);
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "<title>" +
      xml_escape("Candor register: " + describe(*query)) +
      "</title>\n"
      "<id>" +
      xml_escape(self) +
      "</id>\n"
      "<link rel=\"self\" href=\"" +
      xml_escape(self) +
      "\"/>\n"
      "<link rel=\"alternate\" type=\"text/html\" href=\"" +
      xml_escape(base + with_params("/register", params)) +
      "\"/>\n"
      "<updated>" +
      xml_escape(updated) +
      "</updated>\n"
      "<author><name>Candor public register</name></author>\n";
  for (const auto& hit : page->hits) {
    const auto v = entry_view(hit.index, hit.leaf_input, hit.published_at);
    const std::string link = base + v.value("href", "");
    std::string title = v.value("decision_label", "") + ": " + v.value("control_entries", "");
    if (!v.value("destination_name", "").empty()) title += " to " + v.value("destination_name", "");
    std::string summary =
        v.value("description", "") + ". Decided " + v.value("decision_date", "") + ".";
    if (!v.value("exporter", "").empty()) summary += " Exporter: " + v.value("exporter", "") + ".";
    if (!v.value("value_band", "").empty()) summary += " Value: " + v.value("value_band", "") + ".";
    xml += "<entry>\n<title>" + xml_escape(title) + "</title>\n<id>" + xml_escape(link) +
           "</id>\n<link href=\"" + xml_escape(link) + "\"/>\n<updated>" +
           xml_escape(hit.published_at) + "</updated>\n<summary>" + xml_escape(summary) +
           "</summary>\n</entry>\n";
  }
  xml += "</feed>\n";
  response.set_header("Access-Control-Allow-Origin", "*");
  response.set_content(xml, "application/atom+xml; charset=utf-8");
}

void get_register_authorities(const httplib::Request& request, httplib::Response& response,
                              Context& context) {
  if (context.mirror == nullptr) {
    return fail(request, response, context,
                Error::not_found("this register is one authority's own; it mirrors no others"));
  }
  auto registers = context.mirror->status();
  if (!registers.ok()) return fail(request, response, context, registers.error());
  if (request.path.ends_with(".json")) {
    response.set_header("Access-Control-Allow-Origin", "*");
    respond_json(response, 200, {{"registers", *registers}});
    return;
  }
  json page = {{"registers", *registers}};
  humanise_times(page);
  std::size_t flagged = 0;
  for (auto& r : page["registers"]) {
    if (r.value("flagged", false)) ++flagged;
    r["has_flags"] = !r["flags"].empty();
    r["unreachable"] = !r.value("flagged", false) && !r.value("last_error", "").empty();
    r["behind"] = r.value("mirrored", 0) < r.value("verified_size", 0);
  }
  page["flagged"] = flagged;
  page["any_flagged"] = flagged > 0;
  page["has_registers"] = !page["registers"].empty();
  respond_page(response, context, "register_authorities.html", page,
               "Authorities mirrored in this register");
}

void get_register_verify_page(const httplib::Request& request, httplib::Response& response,
                              Context& context) {
  respond_page(response, context, "register_verify.html",
               {{"base_url", base_url(request, context)}}, "How to verify the register");
}

}  // namespace candor::web
