#include "web/register_views.h"
#include "register/fields.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "core/country.h"
#include "web/charts.h"
#include "web/respond.h"

namespace candor::web::register_views {

using nlohmann::json;

const std::pair<const char*, const char*> kDecisions[8] = {
    {"granted", "Granted"},     {"granted_with_conditions", "Granted with conditions"},
    {"refused", "Refused"},     {"amended", "Amended"},
    {"suspended", "Suspended"}, {"reinstated", "Reinstated"},
    {"revoked", "Revoked"},     {"annulled", "Annulled"}};

const char* const kEndUserTypes[8] = {"intelligence",     "police",           "military",
                                      "other_government", "telecom_operator", "private_company",
                                      "research",         "individual"};

namespace {

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

}  // namespace

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
  const auto e = reg::parse_entry(leaf_input);
  json out = {{"index", index}, {"published_at", published_at.substr(0, 10)}};
  if (!e.is_object()) return out;
  const auto text = [&](const char* key) {
    return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : "";
  };
  const std::string id = text("entry_id");
  out["entry_id"] = id;
  out["href"] = "/register/decisions/" + reg::percent_encode(id);
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
  out["corrects_href"] = "/register/decisions/" + reg::percent_encode(text("corrects"));
  if (e.contains("source") && e["source"].is_object()) {
    out["source"] = e["source"].value("publisher", "") + ", " + e["source"].value("dataset", "");
  }
  return out;
}

// What the search pages compute from the index, kept until the log grows: the choices of the
// search form and the counts of searches already made (a broad search at a million entries
// counts in milliseconds; the same page asked again need not).
namespace {

struct SummaryCache {
  std::mutex mutex;
  const reg::Index* index = nullptr;  // The one the figures are from (a test runs several).
  std::uint64_t size = UINT64_MAX;
  std::shared_ptr<const json> choices;

  bool current(const reg::Index& of, std::uint64_t at) const { return index == &of && size == at; }
  std::map<std::string, std::uint64_t> totals;
};

SummaryCache& summary_cache() {
  static SummaryCache cache;
  return cache;
}

}  // namespace

Result<std::uint64_t> log_size(store::Connection& c) {
  auto rows = CANDOR_TRY(c.query("SELECT COALESCE(MAX(idx) + 1, 0) FROM register_entries"));
  return static_cast<std::uint64_t>(CANDOR_TRY(rows.at(0).get<std::int64_t>(0)));
}

Result<std::uint64_t> cached_count(store::Connection& c, reg::Index& index, const reg::Query& query,
                                   std::uint64_t size) {
  auto& cache = summary_cache();
  const std::string key = query.to_params();
  {
    std::lock_guard lock(cache.mutex);
    if (cache.current(index, size)) {
      if (const auto it = cache.totals.find(key); it != cache.totals.end()) return it->second;
    }
  }
  const auto total = CANDOR_TRY(index.count(c, query));
  std::lock_guard lock(cache.mutex);
  if (cache.current(index, size)) {
    if (cache.totals.size() > 20'000) cache.totals.clear();
    cache.totals[key] = total;
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
Result<std::shared_ptr<const json>> filter_choices(store::Connection& c, reg::Index& index) {
  auto& cache = summary_cache();
  const auto size = CANDOR_TRY(log_size(c));
  {
    std::lock_guard lock(cache.mutex);
    if (cache.current(index, size)) return cache.choices;
  }
  std::set<std::string> destinations;
  std::set<std::string> authorities;
  std::set<std::string> categories;
  std::set<std::string> decisions;
  std::set<std::int64_t, std::greater<>> years;  // Newest first.
  for (const auto& count : CANDOR_TRY(index.counts(c, reg::Query{}, size))) {
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
  cache.index = &index;
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

std::string base_url(const httplib::Request& /*request*/, Context& context) {
  if (!context.options.public_url.empty()) {
    std::string url = context.options.public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  // The listening address, never the Host header: that is the client's to set, and a cache
  // in front would keep a feed whose links point wherever one client chose.
  std::string host = context.options.listen.host;
  if (host.empty() || host == "0.0.0.0" || host == "::") host = "localhost";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  const std::string scheme = context.options.secure_cookies ? "https://" : "http://";
  return scheme + host + ":" + std::to_string(context.options.listen.port);
}

}  // namespace candor::web::register_views
