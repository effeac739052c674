#include "risk/assess.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "catalogue/catalogue.h"
#include "core/country.h"

namespace candor::risk {
namespace {

using nlohmann::json;

constexpr std::pair<std::string_view, double> kEndUserTypes[] = {
    {"intelligence", 10},    {"police", 8},          {"military", 6}, {"other_government", 5},
    {"telecom_operator", 1}, {"private_company", 3}, {"research", 0}, {"individual", 8}};

constexpr std::pair<std::string_view, double> kRedFlags[] = {
    {"covert_marketing", 6},
    {"vague_end_use", 5},
    {"free_trade_zone_intermediary", 6},
    {"military_end_user_claims_civilian_use", 8},
    {"customer_unfamiliar_with_product", 4},
    {"reluctant_end_use_information", 6},
    {"prior_misuse_reported", 10},
};

// Flags that point to diversion (criterion 7) rather than to the end user's own conduct.
const std::set<std::string_view> kDiversionFlags = {"vague_end_use", "free_trade_zone_intermediary",
                                                    "customer_unfamiliar_with_product",
                                                    "reluctant_end_use_information"};

constexpr std::pair<Indicator, double> kIndicatorWeights[] = {
    {Indicator::political_terror, 1.0},
    {Indicator::freedom_house, 1.0},
    {Indicator::civicus, 1.0},
    {Indicator::latent_protection, 1.0},
    {Indicator::vdem_cso_repression, 1.0},
    {Indicator::rsf_rank, 0.75},
    {Indicator::vdem_media_censorship, 0.75},
    {Indicator::vdem_privacy, 0.75}};

// Roles whose targeting is the repression Art. 15 is about.
const std::set<std::string> kCivilSociety = {
    "journalist", "activist", "lawyer",   "human rights defender", "opposition", "politician",
    "academic",   "clergy",   "dissident"};

constexpr double kCountryWeight = 40.0;

double confidence_factor(Confidence c) {
  switch (c) {
    case Confidence::confirmed: return 1.0;
    case Confidence::probable: return 0.7;
    case Confidence::alleged: return 0.4;
  }
  return 0.4;
}

// What a control entry says the item does, from the control list's category for it.
// "5A001.f" stands for every entry under it. Returns nothing for a code the list lacks.
std::optional<Technology> technology_of(const std::string& code) {
  if (code == "Art. 5" || code == "Art.5" || code == "art5") return Technology::other;
  const auto& controls = catalogue::Catalogue::builtin();
  const catalogue::ControlEntry* entry = controls.entry(code);
  if (entry == nullptr) {
    for (const auto& e : controls.entries()) {
      if (e.code.rfind(code + ".", 0) == 0) {
        entry = &e;
        break;
      }
    }
  }
  if (entry == nullptr) return std::nullopt;
  const std::string& category = entry->category;
  if (category == "intrusion_software") return Technology::intrusion_software;
  if (category == "ip_network_surveillance" || category == "monitoring_software") {
    return Technology::network_surveillance;
  }
  if (category == "mobile_interception") return Technology::mobile_interception;
  if (category == "forensic_extraction") return Technology::forensic_extraction;
  return Technology::other;
}

double item_weight(Technology t) {
  switch (t) {
    case Technology::intrusion_software: return 15;
    case Technology::network_surveillance: return 12;
    case Technology::mobile_interception: return 10;
    case Technology::forensic_extraction: return 8;
    case Technology::other: return 10;
  }
  return 10;
}

std::string country_label(const std::string& alpha2) {
  auto code = CountryCode::parse(alpha2);
  return code.ok() ? std::string(code->name()) + " (" + alpha2 + ")" : alpha2;
}

std::string technology_label(Technology t) {
  switch (t) {
    case Technology::intrusion_software: return "intrusion software";
    case Technology::network_surveillance: return "IP-network surveillance or monitoring software";
    case Technology::mobile_interception: return "mobile interception";
    case Technology::forensic_extraction: return "forensic extraction";
    case Technology::other: return "an unlisted cyber-surveillance item (Art. 5)";
  }
  return "an unlisted cyber-surveillance item (Art. 5)";
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool same_end_user(const std::string& a, const std::string& b) {
  if (a.size() < 2 || b.size() < 2) return false;
  const std::string x = lower(a);
  const std::string y = lower(b);
  return x == y || x.find(y) != std::string::npos || y.find(x) != std::string::npos;
}

std::string format(double value, int decimals = 2) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

Result<std::string> country_field(const json& value, const std::string& field) {
  if (!value.is_string()) return Error::invalid_argument(field + ": must be a country code");
  const std::string text = value.get<std::string>();
  auto code = text.size() == 2 ? CountryCode::parse(text) : CountryCode::from_name(text);
  if (!code.ok()) return Error::invalid_argument(field + ": unknown country '" + text + "'");
  return std::string(code->alpha2());
}

Result<Party> party_field(const json& value, const std::string& field) {
  if (!value.is_object()) return Error::invalid_argument(field + ": must be an object");
  Party party;
  for (const auto& [key, v] : value.items()) {
    if (key == "name") {
      if (!v.is_string()) return Error::invalid_argument(field + ".name: must be text");
      party.name = v.get<std::string>();
    } else if (key == "country") {
      party.country = CANDOR_TRY(country_field(v, field + ".country"));
    } else if (key != "type" && key != "address") {
      return Error::invalid_argument(field + "." + std::string(key) + ": unknown field");
    }
  }
  return party;
}

}  // namespace

Result<Case> parse_case(const json& j) {
  if (!j.is_object()) return Error::invalid_argument("the case must be a JSON object");
  Case c;
  bool has_destination = false;
  bool has_end_user = false;
  bool has_items = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "destination") {
      c.destination = CANDOR_TRY(country_field(value, "destination"));
      has_destination = true;
    } else if (key == "end_user") {
      c.end_user = CANDOR_TRY(party_field(value, "end_user"));
      if (!value.contains("type") || !value["type"].is_string()) {
        return Error::invalid_argument(
            "end_user.type: required, one of intelligence, police, "
            "military, other_government, telecom_operator, "
            "private_company, research, individual");
      }
      c.end_user_type = value["type"].get<std::string>();
      if (std::none_of(std::begin(kEndUserTypes), std::end(kEndUserTypes),
                       [&](const auto& t) { return t.first == c.end_user_type; })) {
        return Error::invalid_argument("end_user.type: unknown type '" + c.end_user_type + "'");
      }
      has_end_user = true;
    } else if (key == "items") {
      if (!value.is_array() || value.empty()) {
        return Error::invalid_argument("items: must be a non-empty list");
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string at = "items[" + std::to_string(i) + "]";
        const auto& item = value[i];
        if (!item.is_object()) return Error::invalid_argument(at + ": must be an object");
        CaseItem parsed;
        for (const auto& [field, v] : item.items()) {
          if (field == "control_entries") {
            if (!v.is_array())
              return Error::invalid_argument(at + ".control_entries: must be a list");
            for (const auto& e : v) {
              if (!e.is_string() || e.get<std::string>().empty()) {
                return Error::invalid_argument(at + ".control_entries: each entry must be text");
              }
              if (!technology_of(e.get<std::string>())) {
                return Error::invalid_argument(at + ".control_entries: '" + e.get<std::string>() +
                                               "' is not an entry of the control list (see "
                                               "candor controls list)");
              }
              parsed.control_entries.push_back(e.get<std::string>());
            }
          } else if (field == "description") {
            if (!v.is_string()) return Error::invalid_argument(at + ".description: must be text");
            parsed.description = v.get<std::string>();
          } else if (field != "name" && field != "quantity" && field != "value") {
            std::string message = at;
            message += "." + field + ": unknown field";
            return Error::invalid_argument(std::move(message));
          }
        }
        c.items.push_back(std::move(parsed));
      }
      has_items = true;
    } else if (key == "red_flags") {
      if (!value.is_array()) return Error::invalid_argument("red_flags: must be a list");
      for (const auto& flag : value) {
        const std::string id = flag.is_string() ? flag.get<std::string>() : std::string();
        if (std::none_of(std::begin(kRedFlags), std::end(kRedFlags),
                         [&](const auto& f) { return f.first == id; })) {
          return Error::invalid_argument("red_flags: unknown flag '" +
                                         (flag.is_string() ? id : flag.dump()) + "'");
        }
        if (std::find(c.red_flags.begin(), c.red_flags.end(), id) == c.red_flags.end()) {
          c.red_flags.push_back(id);
        }
      }
    } else if (key == "consignee") {
      c.consignee = CANDOR_TRY(party_field(value, "consignee"));
    } else if (key == "intermediaries") {
      if (!value.is_array()) return Error::invalid_argument("intermediaries: must be a list");
      for (std::size_t i = 0; i < value.size(); ++i) {
        c.intermediaries.push_back(
            CANDOR_TRY(party_field(value[i], "intermediaries[" + std::to_string(i) + "]")));
      }
    } else if (key == "screening_hits") {
      if (!value.is_array()) return Error::invalid_argument("screening_hits: must be a list");
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& h = value[i];
        const std::string at = "screening_hits[" + std::to_string(i) + "]";
        if (!h.is_object() || !h.contains("score") || !h["score"].is_number()) {
          return Error::invalid_argument(at + ".score: required, a number 0 to 1");
        }
        ScreeningHit hit;
        hit.score = h["score"].get<double>();
        if (!(hit.score >= 0 && hit.score <= 1))
          return Error::invalid_argument(at + ".score: must be 0 to 1");
        for (const char* field : {"party", "list", "entity_id"}) {
          if (h.contains(field) && !h[field].is_string()) {
            return Error::invalid_argument(at + "." + field + ": must be text");
          }
        }
        hit.party = h.value("party", "");
        hit.list = h.value("list", "");
        hit.entity_id = h.value("entity_id", "");
        c.screening_hits.push_back(std::move(hit));
      }
    } else if (key == "armed_conflict") {
      if (!value.is_boolean())
        return Error::invalid_argument("armed_conflict: must be true or false");
      c.armed_conflict = value.get<bool>();
    } else {
      return Error::invalid_argument(key + ": unknown field");
    }
  }
  if (!has_destination) return Error::invalid_argument("destination: required");
  if (!has_end_user) return Error::invalid_argument("end_user: required");
  if (!has_items) return Error::invalid_argument("items: required");
  return c;
}

Assessment assess(const Case& c, const Snapshot& data, const PastDecisionSource* past) {
  Assessment a;
  a.data_version = data.version;
  std::set<std::string> criteria;

  // 1. The destination's record.
  double weighted = 0.0;
  double weights = 0.0;
  Reason country{"destination_record", {}, 0.0, {}};
  std::string parts;
  for (const auto& [indicator, weight] : kIndicatorWeights) {
    const IndicatorValue* value = nullptr;
    for (const auto* v : data.for_country(c.destination)) {
      if (v->indicator == indicator) value = v;
    }
    if (value == nullptr) {
      a.missing.emplace_back(to_string(indicator));
      continue;
    }
    weighted += weight * value->risk;
    weights += weight;
    const auto& i = info(indicator);
    parts +=
        (parts.empty() ? "" : "; ") + std::string(i.label) + " " + std::to_string(value->year) +
        ": " + format(value->value, value->value == std::floor(value->value) ? 0 : 2) +
        (value->label.empty() ? "" : " (" + value->label + ")") + ", risk " + format(value->risk);
    country.sources.push_back({std::string(i.publisher), value->year, value->url});
  }
  const double country_risk = weights > 0 ? weighted / weights : 0.0;
  if (weights > 0) {
    country.weight = kCountryWeight * country_risk;
    country.text = "Human-rights record of " + country_label(c.destination) + ": combined risk " +
                   format(country_risk) + " from " + parts + ".";
    a.reasons.push_back(std::move(country));
    if (country_risk >= 0.4)
      criteria.insert("Criterion 2: risk of internal repression (Art. 15(1))");
  } else {
    a.reasons.push_back({"destination_record",
                         "No indicator is available for " + c.destination +
                             ": the record must be assessed from other sources.",
                         0.0,
                         {}});
  }

  // 2. What the items can do.
  std::set<Technology> technologies;
  bool catch_all = false;
  for (const auto& item : c.items) {
    for (const auto& entry : item.control_entries) {
      const Technology t = technology_of(entry).value_or(Technology::other);
      technologies.insert(t);
      if (t == Technology::other) catch_all = true;
    }
  }
  if (technologies.empty()) technologies.insert(Technology::other);
  Technology strongest = *technologies.begin();
  for (const auto t : technologies) {
    if (item_weight(t) > item_weight(strongest)) strongest = t;
  }
  a.reasons.push_back({"item_capability",
                       "The items include " + technology_label(strongest) +
                           ", a capability that can serve surveillance of persons.",
                       item_weight(strongest),
                       {}});
  if (catch_all) criteria.insert("Art. 5: unlisted cyber-surveillance item (catch-all)");

  // 3. Documented misuse in the destination.
  struct Best {
    double weight = 0.0;
    std::vector<const EvidenceRecord*> records;
  };
  Best same_user;
  Best same_type;
  Best same_tech;
  Best civil_society;
  Best procurement;
  const auto consider = [](Best& best, double weight, const EvidenceRecord& r) {
    if (weight > best.weight) best.weight = weight;
    best.records.push_back(&r);
  };
  bool confirmed_civil_society_same_tech = false;
  for (const auto& r : data.evidence) {
    if (r.country != c.destination) continue;
    const double f = confidence_factor(r.confidence);
    const bool tech = technologies.contains(r.technology);
    if (r.kind == EvidenceKind::procurement) {
      if (tech) consider(procurement, 8 * f, r);
      continue;
    }
    if (same_end_user(r.end_user, c.end_user.name)) consider(same_user, 30 * f, r);
    if (!r.end_user_type.empty() && r.end_user_type == c.end_user_type)
      consider(same_type, 15 * f, r);
    if (tech) consider(same_tech, 20 * f, r);
    const bool civil =
        std::any_of(r.target_roles.begin(), r.target_roles.end(),
                    [](const std::string& role) { return kCivilSociety.contains(role); });
    if (civil) consider(civil_society, 10 * f, r);
    if (civil && tech && r.confidence == Confidence::confirmed)
      confirmed_civil_society_same_tech = true;
  }
  const auto add_evidence = [&](const char* factor, const Best& best, const std::string& text) {
    if (best.records.empty()) return;
    Reason reason{factor,
                  text + " (" + std::to_string(best.records.size()) + " record" +
                      (best.records.size() > 1 ? "s" : "") + ").",
                  best.weight,
                  {}};
    std::vector<const EvidenceRecord*> records = best.records;
    std::sort(records.begin(), records.end(), [](const auto* x, const auto* y) {
      if (x->year != y->year) return x->year > y->year;
      return x->id < y->id;
    });
    std::set<std::string> urls;
    for (const auto* r : records) {
      for (const auto& url : r->sources) {
        if (reason.sources.size() >= 6 || !urls.insert(url).second) continue;
        reason.sources.push_back({r->publisher.empty() ? r->vendor : r->publisher, r->year, url});
      }
    }
    a.reasons.push_back(std::move(reason));
  };
  add_evidence("misuse_same_end_user", same_user,
               "Documented misuse by the same end user, " + c.end_user.name);
  add_evidence(
      "misuse_same_agency_type", same_type,
      "Documented misuse by the same kind of agency (" + c.end_user_type + ") in " + c.destination);
  add_evidence("misuse_same_technology", same_tech,
               "Documented use of the same kind of technology against people in " + c.destination);
  add_evidence("civil_society_targeted", civil_society,
               "Journalists, activists, lawyers or opposition figures documented as targets in " +
                   c.destination);
  add_evidence(
      "procurement_documented", procurement,
      "Documented purchases of the same kind of technology by authorities of " + c.destination);
  if (!same_user.records.empty() || !same_type.records.empty() || !same_tech.records.empty() ||
      !civil_society.records.empty()) {
    criteria.insert("Criterion 2: risk of internal repression (Art. 15(1))");
  }

  // 4. The end user, red flags, screening, conflict, past decisions.
  for (const auto& [type, weight] : kEndUserTypes) {
    if (type == c.end_user_type && weight > 0) {
      a.reasons.push_back(
          {"end_user_type", "The end user is of type " + c.end_user_type + ".", weight, {}});
    }
  }
  for (const auto& flag : c.red_flags) {
    for (const auto& [id, weight] : kRedFlags) {
      if (id != flag) continue;
      a.reasons.push_back(
          {"red_flag:" + flag, "Due-diligence red flag: " + flag + ".", weight, {}});
      if (kDiversionFlags.contains(id)) criteria.insert("Criterion 7: risk of diversion");
    }
  }
  if (!c.intermediaries.empty()) {
    a.reasons.push_back(
        {"intermediaries",
         std::to_string(c.intermediaries.size()) + " intermediar" +
             (c.intermediaries.size() > 1 ? "ies" : "y") + " between exporter and end user.",
         2.0 * static_cast<double>(std::min<std::size_t>(c.intermediaries.size(), 3)),
         {}});
  }
  double hit_weight = 0.0;
  std::string hit_text;
  for (const auto& hit : c.screening_hits) {
    const double w = hit.score >= 0.95 ? 25 : hit.score >= 0.80 ? 12 : 0;
    if (w > hit_weight) {
      hit_weight = w;
      hit_text = "Screening hit for " + hit.party + " on " + hit.list + " (" + hit.entity_id +
                 ", score " + format(hit.score) + ").";
    }
  }
  if (hit_weight > 0) {
    a.reasons.push_back({"screening_hit", hit_text, hit_weight, {}});
    criteria.insert("Criterion 1: international obligations (sanctions)");
  }
  if (c.armed_conflict) {
    a.reasons.push_back({"armed_conflict", "The destination is in armed conflict.", 10, {}});
    criteria.insert("Criterion 3: internal situation (armed conflict)");
  }
  if (past != nullptr) {
    a.past_decisions = past->comparable(c);
    std::size_t refusals = 0;
    for (const auto& d : a.past_decisions) refusals += d.outcome == "refused" ? 1 : 0;
    if (refusals > 0) {
      a.reasons.push_back({"comparable_refusals",
                           std::to_string(refusals) + " comparable refusal" +
                               (refusals > 1 ? "s" : "") +
                               " (same entry family and destination) on record.",
                           10,
                           {}});
    }
  }

  for (const auto& r : a.reasons) a.score += r.weight;
  a.score = std::round(a.score * 100.0) / 100.0;
  if (a.score >= 60 || (confirmed_civil_society_same_tech && country_risk >= 0.5)) {
    a.level = "clear_risk";
    a.recommendation = "deny";
  } else if (a.score >= 40) {
    a.level = "high";
    a.recommendation = "refer";
  } else if (a.score >= 20) {
    a.level = "elevated";
    a.recommendation = "approve_with_conditions";
  } else {
    a.level = "low";
    a.recommendation = "approve";
  }
  if (a.recommendation == "approve_with_conditions" || a.recommendation == "refer") {
    a.conditions.emplace_back("end_use_statement");
    a.conditions.emplace_back("no_re_export");
    if (country_risk >= 0.4 || c.end_user_type == "intelligence" || c.end_user_type == "police" ||
        c.end_user_type == "military") {
      a.conditions.emplace_back("post_shipment_verification");
    }
    if (technologies.contains(Technology::intrusion_software) ||
        technologies.contains(Technology::network_surveillance)) {
      a.conditions.emplace_back("training_and_remote_access_limits");
    }
    a.conditions.emplace_back("reporting");
  }
  a.criteria.assign(criteria.begin(), criteria.end());
  return a;
}

json to_json(const Assessment& a) {
  json reasons = json::array();
  for (const auto& r : a.reasons) {
    json sources = json::array();
    for (const auto& s : r.sources)
      sources.push_back({{"publisher", s.publisher}, {"year", s.year}, {"url", s.url}});
    reasons.push_back(
        {{"factor", r.factor}, {"text", r.text}, {"weight", r.weight}, {"sources", sources}});
  }
  json past = json::array();
  for (const auto& d : a.past_decisions) {
    past.push_back({{"reference", d.reference},
                    {"authority", d.authority},
                    {"outcome", d.outcome},
                    {"date", d.date},
                    {"entry_family", d.entry_family},
                    {"destination", d.destination},
                    {"end_user_type", d.end_user_type}});
  }
  return {{"level", a.level},
          {"recommendation", a.recommendation},
          {"score", a.score},
          {"criteria", a.criteria},
          {"conditions", a.conditions},
          {"reasons", reasons},
          {"missing_indicators", a.missing},
          {"past_decisions", past},
          {"data_version", a.data_version}};
}

std::string to_text(const Assessment& a, const Case& c) {
  std::string out;
  out += "Human-rights risk assessment: " + country_label(c.destination) + ", end user " +
         (c.end_user.name.empty() ? std::string("(unnamed)") : c.end_user.name) + " (" +
         c.end_user_type + ")\n\n";
  std::string level = a.level;
  for (auto& ch : level)
    ch = ch == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  out += "Level: " + level + " (score " + format(a.score, 1) + ")\n";
  out += "Recommendation: " + a.recommendation + "\n";
  if (!a.criteria.empty()) {
    out += "Criteria engaged:\n";
    for (const auto& cr : a.criteria) out += "  - " + cr + "\n";
  }
  if (!a.conditions.empty()) {
    out += "Conditions:\n";
    for (const auto& cond : a.conditions) out += "  - " + cond + "\n";
  }
  out += "\nReasons (weight):\n";
  for (const auto& r : a.reasons) {
    out += "  [" + format(r.weight, 1) + "] " + r.text + "\n";
    for (const auto& s : r.sources) {
      out += "        " + s.publisher + (s.year ? " " + std::to_string(s.year) : std::string()) +
             ": " + s.url + "\n";
    }
  }
  if (!a.missing.empty()) {
    out += "\nIndicators missing for " + c.destination + ":";
    for (const auto& m : a.missing) out += " " + m;
    out += "\n";
  }
  out += "\nData version: " + a.data_version + "\n";
  return out;
}

}  // namespace candor::risk
