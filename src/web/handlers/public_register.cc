// The public register's pages (no sign-in, no JavaScript): search with filters and paging, one
// page per entry with its inclusion proof, statistics with charts and a world map, an Atom feed
// and CSV/JSON downloads of any search, and the annual report in the shape of Art. 26.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>

#include "core/country.h"
#include "core/csv.h"
#include "register/log.h"
#include "register/publish.h"
#include "register/search.h"
#include "web/charts.h"
#include "web/handlers/app.h"
#include "web/respond.h"

namespace candor::web {
namespace {

using nlohmann::json;

constexpr std::uint64_t kPageSize = 20;
// Deep pages cost a walk of the index; past this, the downloads are the way through.
constexpr std::uint64_t kMaxPage = 500;
constexpr std::uint64_t kFeedSize = 50;
constexpr std::uint64_t kDownloadChunk = 1000;

constexpr std::pair<const char*, const char*> kDecisions[] = {
    {"granted", "Granted"},     {"granted_with_conditions", "Granted with conditions"},
    {"refused", "Refused"},     {"amended", "Amended"},
    {"suspended", "Suspended"}, {"reinstated", "Reinstated"},
    {"revoked", "Revoked"},     {"annulled", "Annulled"}};

constexpr std::pair<const char*, const char*> kCategories[] = {
    {"intrusion_software", "Intrusion software"},
    {"ip_network_surveillance", "IP network surveillance"},
    {"mobile_interception", "Mobile telecommunications interception"},
    {"monitoring_software", "Monitoring software"},
    {"forensic_extraction", "Forensic data extraction"},
    {"catch_all", "Unlisted item (Art. 5 catch-all)"},
    {"unclassified", "Not classified"},
    {"military", "Military list"},
    {"national", "National control list"},
    {"other", "Other national controls"},
    {"dual_use_0", "Dual-use 0: nuclear"},
    {"dual_use_1", "Dual-use 1: special materials"},
    {"dual_use_2", "Dual-use 2: materials processing"},
    {"dual_use_3", "Dual-use 3: electronics"},
    {"dual_use_4", "Dual-use 4: computers"},
    {"dual_use_5", "Dual-use 5: telecommunications and information security"},
    {"dual_use_6", "Dual-use 6: sensors and lasers"},
    {"dual_use_7", "Dual-use 7: navigation and avionics"},
    {"dual_use_8", "Dual-use 8: marine"},
    {"dual_use_9", "Dual-use 9: aerospace and propulsion"}};

constexpr const char* kEndUserTypes[] = {"intelligence",     "police",           "military",
                                         "other_government", "telecom_operator", "private_company",
                                         "research",         "individual"};

template <std::size_t N>
std::string label_in(const std::pair<const char*, const char*> (&table)[N],
                     const std::string& code) {
  for (const auto& [key, label] : table) {
    if (code == key) return label;
  }
  // Unknown codes read as words: "other_government" -> "Other government".
  std::string out = code;
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string decision_label(const std::string& code) { return label_in(kDecisions, code); }
std::string category_label(const std::string& code) { return label_in(kCategories, code); }
std::string words(const std::string& code) {
  static constexpr std::pair<const char*, const char*> kNone[] = {{"", ""}};
  return label_in(kNone, code);
}

std::string country_name(const std::string& code) {
  if (code.empty()) return "";
  auto parsed = CountryCode::parse(code);
  return parsed.ok() ? std::string(parsed->name()) : code;
}

std::string grouped(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) != 0 || ch == '-' || ch == '_' || ch == '.') {
      out += ch;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

Result<reg::Query> query_of(const httplib::Request& request) {
  return reg::Query::from([&](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    if (!request.has_param(key)) return std::nullopt;
    return request.get_param_value(key);
  });
}

// "Refused decisions on 5A001 to Mexico in 2014": what a search is, in words.
std::string describe(const reg::Query& q) {
  std::string out = q.decision.empty() ? "Decisions" : decision_label(q.decision) + " decisions";
  if (!q.category.empty()) out += " on " + category_label(q.category);
  if (!q.control.empty()) out += " under " + q.control;
  if (!q.destination.empty()) out += " to " + country_name(q.destination);
  if (!q.end_user_type.empty()) out += " for " + words(q.end_user_type) + " end users";
  if (!q.exporter.empty()) out += " by exporters named \"" + q.exporter + "…\"";
  if (!q.authority.empty()) out += " by the authority of " + country_name(q.authority);
  if (q.year != 0) out += " in " + std::to_string(q.year);
  return out;
}

std::string with_params(const std::string& path, const std::string& params) {
  return params.empty() ? path : path + "?" + params;
}

// An entry as the pages show it.
json entry_view(std::uint64_t index, const std::string& leaf_input,
                const std::string& published_at) {
  const auto e = json::parse(leaf_input, nullptr, false);
  json out = {{"index", index}, {"published_at", published_at.substr(0, 10)}};
  if (!e.is_object()) return out;
  const auto text = [&](const char* key) {
    return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : "";
  };
  const std::string id = text("entry_id");
  out["entry_id"] = id;
  out["href"] = "/register/decisions/" + url_encode(id);
  out["decision"] = text("decision");
  out["decision_label"] = decision_label(text("decision"));
  out["refused"] = text("decision") == "refused";
  out["decision_date"] = text("decision_date");
  const std::string destination = text("destination");
  out["destination"] = destination;
  out["destination_name"] =
      destination.empty() ? text("destination_name") : country_name(destination);
  std::string controls;
  if (e.contains("control_entries") && e["control_entries"].is_array()) {
    for (const auto& c : e["control_entries"]) {
      if (!c.is_string()) continue;
      if (!controls.empty()) controls += ", ";
      controls += c.get<std::string>();
    }
  }
  out["control_entries"] = controls;
  out["category"] = text("item_category");
  out["category_label"] = category_label(text("item_category"));
  out["description"] = text("item_description");
  out["end_user_type"] = words(text("end_user_type"));
  out["value_band"] = text("value_band");
  out["licence_type"] = words(text("licence_type"));
  out["licence_number"] = text("licence_number");
  out["exporter"] = text("exporter");
  json withheld = json::array();
  if (e.contains("withheld") && e["withheld"].is_array()) {
    for (const auto& w : e["withheld"]) {
      if (w.is_object()) {
        withheld.push_back({{"field", words(w.value("field", ""))}, {"rule", w.value("rule", "")}});
      }
    }
  }
  out["withheld"] = withheld;
  json criteria = json::array();
  if (e.contains("criteria") && e["criteria"].is_array()) {
    for (const auto& c : e["criteria"]) {
      criteria.push_back(c.is_string() ? c.get<std::string>() : c.dump());
    }
  }
  out["criteria"] = criteria;
  out["has_criteria"] = !criteria.empty();
  if (e.contains("authority") && e["authority"].is_object()) {
    out["authority"] = e["authority"].value("name", "");
    out["member_state"] = e["authority"].value("member_state", "");
  }
  out["corrects"] = text("corrects");
  out["corrects_href"] = "/register/decisions/" + url_encode(text("corrects"));
  if (e.contains("source") && e["source"].is_object()) {
    out["source"] = e["source"].value("publisher", "") + ", " + e["source"].value("dataset", "");
  }
  return out;
}

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
      url_encode(hit.entry_id) + "\">" + xml_escape(label) + ": " + xml_escape(controls);
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

// What the search pages compute from the summary, kept until the log grows: the choices of
// the search form and the counts of searches already made.
struct SummaryCache {
  std::mutex mutex;
  std::uint64_t size = UINT64_MAX;
  std::shared_ptr<const json> choices;
  std::map<std::string, std::uint64_t> totals;
};

SummaryCache& summary_cache() {
  static SummaryCache cache;
  return cache;
}

Result<std::uint64_t> log_size(store::Connection& c) {
  auto rows = CANDOR_TRY(c.query("SELECT COALESCE(MAX(idx) + 1, 0) FROM register_entries"));
  return static_cast<std::uint64_t>(CANDOR_TRY(rows.at(0).get<std::int64_t>(0)));
}

// The number of matches of a summarised search, or nullopt.
Result<std::optional<std::uint64_t>> cached_count(store::Connection& c, const reg::Query& query,
                                                  std::uint64_t size) {
  if (!query.summarised()) return std::optional<std::uint64_t>();
  auto& cache = summary_cache();
  const std::string key = query.to_params();
  {
    std::lock_guard lock(cache.mutex);
    if (cache.size == size) {
      if (const auto it = cache.totals.find(key); it != cache.totals.end()) {
        return std::optional<std::uint64_t>(it->second);
      }
    }
  }
  const auto total = CANDOR_TRY(reg::count(c, query));
  std::lock_guard lock(cache.mutex);
  if (cache.size == size && total) {
    if (cache.totals.size() > 20'000) cache.totals.clear();
    cache.totals[key] = *total;
  }
  return total;
}

// <option> elements for a select, the chosen one selected: built directly, as a form with
// two hundred destinations costs more through the template engine than the search itself.
std::string options_html(const json& list, const std::string& selected, const std::string& any) {
  std::string out = "<option value=\"\"" + std::string(selected.empty() ? " selected" : "") + ">" +
                    xml_escape(any) + "</option>";
  for (const auto& item : list) {
    const std::string value = item["value"].get<std::string>();
    out += "<option value=\"" + xml_escape(value) + "\"" + (value == selected ? " selected" : "") +
           ">" + xml_escape(item["label"].get<std::string>()) + "</option>";
  }
  return out;
}

// Shared, not copied: a page reads the choices and never changes them.
Result<std::shared_ptr<const json>> filter_choices(store::Connection& c) {
  auto& cache = summary_cache();
  const auto size = CANDOR_TRY(log_size(c));
  {
    std::lock_guard lock(cache.mutex);
    if (cache.size == size) return cache.choices;
  }
  std::set<std::string> destinations;
  std::set<std::string> authorities;
  std::set<std::string> categories;
  std::set<std::string> decisions;
  std::set<std::int64_t, std::greater<>> years;  // Newest first.
  for (const auto& count : CANDOR_TRY(reg::counts(c, reg::Query{}))) {
    if (!count.destination.empty()) destinations.insert(count.destination);
    if (!count.authority.empty()) authorities.insert(count.authority);
    if (!count.category.empty()) categories.insert(count.category);
    if (!count.decision.empty()) decisions.insert(count.decision);
    if (count.year != 0) years.insert(count.year);
  }
  json out = {{"destinations", json::array()},
              {"authorities", json::array()},
              {"categories", json::array()},
              {"decisions", json::array()},
              {"years", json::array()}};
  std::vector<std::pair<std::string, std::string>> named;
  named.reserve(destinations.size());
  for (const auto& d : destinations) named.emplace_back(country_name(d), d);
  std::sort(named.begin(), named.end());
  for (const auto& [name, code] : named)
    out["destinations"].push_back({{"value", code}, {"label", name}});
  for (const auto& a : authorities) {
    out["authorities"].push_back({{"value", a}, {"label", country_name(a)}});
  }
  for (const auto& c2 : categories) {
    out["categories"].push_back({{"value", c2}, {"label", category_label(c2)}});
  }
  for (const auto& [code, label] : kDecisions) {
    if (decisions.contains(code)) out["decisions"].push_back({{"value", code}, {"label", label}});
  }
  for (const auto year : years) {
    out["years"].push_back({{"value", std::to_string(year)}, {"label", std::to_string(year)}});
  }
  auto shared = std::make_shared<const json>(std::move(out));
  std::lock_guard lock(cache.mutex);
  cache.size = size;
  cache.choices = shared;
  cache.totals.clear();
  return shared;
}

json options_with(json list, const std::string& selected, const std::string& any) {
  json out = json::array({{{"value", ""}, {"label", any}, {"selected", selected.empty()}}});
  for (auto& item : list) {
    item["selected"] = item["value"] == selected;
    out.push_back(std::move(item));
  }
  return out;
}

void fail(const httplib::Request& request, httplib::Response& response, Context& context,
          const Error& error) {
  respond_error(request, response, context, error);
}

std::string base_url(const httplib::Request& request, Context& context) {
  const bool https =
      context.options.secure_cookies || request.get_header_value("X-Forwarded-Proto") == "https";
  std::string host = request.get_header_value("Host");
  // Only what a host name may hold: the feed must not carry a visitor's markup.
  const bool clean = !host.empty() && std::all_of(host.begin(), host.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '.' || ch == '-' ||
           ch == ':' || ch == '[' || ch == ']';
  });
  if (!clean) host = "localhost";
  return (https ? "https://" : "http://") + host;
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
  auto found = reg::search(**lease, *query, (page - 1) * kPageSize, kPageSize, std::nullopt,
                           /*with_entry=*/false);
  if (!found.ok()) return fail(request, response, context, found.error());
  auto choices = filter_choices(**lease);
  if (!choices.ok()) return fail(request, response, context, choices.error());
  auto size = log_size(**lease);
  if (!size.ok()) return fail(request, response, context, size.error());
  auto total = cached_count(**lease, *query, *size);
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
      {"counted", found->total.has_value()},
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
  auto rows = CANDOR_TRY(lease->query(
      "SELECT idx, leaf_input, leaf_hash, published_at FROM register_entries WHERE entry_id = $1",
      {id}));
  if (rows.empty()) return Error::not_found("there is no entry " + id + " in the register");
  const auto index = static_cast<std::uint64_t>(CANDOR_TRY(rows[0].get<std::int64_t>(0)));
  const auto leaf_blob = CANDOR_TRY(rows[0].get<store::Blob>(1));
  const auto hash_blob = CANDOR_TRY(rows[0].get<store::Blob>(2));
  const std::string leaf(leaf_blob.bytes.begin(), leaf_blob.bytes.end());
  json data = entry_view(index, leaf, CANDOR_TRY(rows[0].get<std::string>(3)));
  data["leaf_input"] = leaf;
  std::string hash_hex;
  for (auto byte : hash_blob.bytes) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", static_cast<unsigned>(byte));
    hash_hex += pair;
  }
  data["leaf_hash"] = hash_hex;
  auto later = CANDOR_TRY(lease->query(
      "SELECT entry_id FROM register_entries WHERE corrects = $1 AND corrects <> ''", {id}));
  if (!later.empty()) {
    const std::string by = CANDOR_TRY(later[0].get<std::string>(0));
    data["corrected_by"] = by;
    data["corrected_by_href"] = "/register/decisions/" + url_encode(by);
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
                      ? csv::format_record({"index", "entry_id", "decision", "decision_date",
                                            "member_state", "destination", "destination_name",
                                            "control_entries", "item_category", "item_description",
                                            "end_user_type", "value_band", "exporter", "withheld",
                                            "criteria", "corrects"})
                      : "{\"query\":" + json(cursor->query.to_params()).dump() + ",\"entries\":[";
        }
        auto lease = context.db.acquire();
        if (!lease.ok()) return false;
        auto page = reg::search(**lease, cursor->query, 0, kDownloadChunk, cursor->before);
        if (!page.ok()) return false;
        for (const auto& hit : page->hits) {
          const auto e = json::parse(hit.leaf_input, nullptr, false);
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
            chunk += csv::format_record(
                {std::to_string(hit.index), v.value("entry_id", ""), v.value("decision", ""),
                 v.value("decision_date", ""), v.value("member_state", ""),
                 v.value("destination", ""), v.value("destination_name", ""),
                 v.value("control_entries", ""), v.value("category", ""),
                 v.value("description", ""), e.is_object() ? e.value("end_user_type", "") : "",
                 v.value("value_band", ""), v.value("exporter", ""), withheld, criteria,
                 v.value("corrects", "")});
          } else {
            chunk += (cursor->first_entry ? "" : ",");
            chunk +=
                json{{"index", hit.index}, {"published_at", hit.published_at}, {"entry", e}}.dump();
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
  auto page = reg::search(**lease, *query, 0, kFeedSize);
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
  auto counts = reg::counts(**lease, *query);
  if (!counts.ok()) return fail(request, response, context, counts.error());
  auto choices = filter_choices(**lease);
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
    auto choices = filter_choices(**lease);
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
          auto rows = CANDOR_TRY(c.query("SELECT COALESCE(MAX(idx) + 1, 0) FROM register_entries"));
          counts = CANDOR_TRY(reg::counts(c, q));
          return static_cast<std::uint64_t>(CANDOR_TRY(rows.at(0).get<std::int64_t>(0)));
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
    out += csv::format_record(header);
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
      out += csv::format_record(record);
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
    auto c = filter_choices(**lease);
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

void get_register_verify_page(const httplib::Request& request, httplib::Response& response,
                              Context& context) {
  respond_page(response, context, "register_verify.html",
               {{"base_url", base_url(request, context)}}, "How to verify the register");
}

}  // namespace candor::web
