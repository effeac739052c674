#include "risk/evidence.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/country.h"
#include "core/csv.h"

namespace candor::risk {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string part = trim(text.substr(start, end - start));
    if (!part.empty()) out.push_back(std::move(part));
    start = end + 1;
  }
  return out;
}

std::string slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) {
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

Result<std::string> country_code(const std::string& text, const std::string& where) {
  auto code = text.size() == 2 ? CountryCode::parse(text) : CountryCode::from_name(text);
  if (!code.ok()) return Error::invalid_argument("unknown country '" + text + "'", where);
  return std::string(code->alpha2());
}

constexpr std::pair<Technology, std::string_view> kTechnologies[] = {
    {Technology::intrusion_software, "intrusion_software"},
    {Technology::network_surveillance, "network_surveillance"},
    {Technology::mobile_interception, "mobile_interception"},
    {Technology::forensic_extraction, "forensic_extraction"},
    {Technology::other, "other"},
};

const std::set<std::string>& end_user_types() {
  static const std::set<std::string> types = {
      "intelligence",     "police",          "military", "other_government",
      "telecom_operator", "private_company", "research", "individual"};
  return types;
}

}  // namespace

std::string_view to_string(Technology technology) {
  for (const auto& [t, name] : kTechnologies) {
    if (t == technology) return name;
  }
  return "other";
}

Result<Technology> technology_from_string(std::string_view text) {
  for (const auto& [t, name] : kTechnologies) {
    if (name == text) return t;
  }
  return Error::invalid_argument(
      "technology must be intrusion_software, network_surveillance, "
      "mobile_interception, forensic_extraction or other, not '" +
      std::string(text) + "'");
}

std::string_view to_string(Confidence confidence) {
  switch (confidence) {
    case Confidence::confirmed: return "confirmed";
    case Confidence::probable: return "probable";
    case Confidence::alleged: return "alleged";
  }
  return "alleged";
}

Result<Confidence> confidence_from_string(std::string_view text) {
  for (const auto c : {Confidence::confirmed, Confidence::probable, Confidence::alleged}) {
    if (to_string(c) == text) return c;
  }
  return Error::invalid_argument("confidence must be confirmed, probable or alleged, not '" +
                                 std::string(text) + "'");
}

std::string_view to_string(EvidenceKind kind) {
  return kind == EvidenceKind::targeting ? "targeting" : "procurement";
}

Result<EvidenceKind> evidence_kind_from_string(std::string_view text) {
  if (text == "targeting") return EvidenceKind::targeting;
  if (text == "procurement") return EvidenceKind::procurement;
  return Error::invalid_argument("kind must be targeting or procurement, not '" +
                                 std::string(text) + "'");
}

namespace {

constexpr std::string_view kColumns[] = {
    "id",           "kind", "country", "end_user",   "end_user_type", "vendor", "technology",
    "target_roles", "year", "sources", "confidence", "publisher",     "summary"};

}  // namespace

Result<std::vector<EvidenceRecord>> import_evidence_csv(std::string_view text) {
  csv::Reader reader(text);
  const csv::Header header = CANDOR_TRY(csv::read_header(reader, kColumns));
  std::vector<std::string> fields;
  std::vector<EvidenceRecord> records;
  std::set<std::string> ids;
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error();
    if (!more.value()) break;
    if (fields.size() == 1 && fields[0].empty()) continue;
    const std::string line = "line " + std::to_string(reader.line());
    const auto get = [&](const char* column) { return trim(header.value(fields, column)); };
    const auto field_error = [&](const char* column, const Error& e) {
      return Error::invalid_argument(std::string(column) + ": " + e.message(), line);
    };
    EvidenceRecord r;
    r.id = get("id");
    if (r.id.empty()) return Error::invalid_argument("id: must not be empty", line);
    if (!ids.insert(r.id).second)
      return Error::invalid_argument("id: '" + r.id + "' appears twice", line);
    auto kind = evidence_kind_from_string(get("kind"));
    if (!kind.ok()) return field_error("kind", kind.error());
    r.kind = kind.value();
    auto country = country_code(get("country"), line);
    if (!country.ok()) return field_error("country", country.error());
    r.country = country.value();
    r.end_user = get("end_user");
    r.end_user_type = get("end_user_type");
    if (!r.end_user_type.empty() && !end_user_types().contains(r.end_user_type)) {
      return Error::invalid_argument("end_user_type: unknown type '" + r.end_user_type + "'", line);
    }
    r.vendor = get("vendor");
    auto technology = technology_from_string(get("technology"));
    if (!technology.ok()) return field_error("technology", technology.error());
    r.technology = technology.value();
    for (auto& role : split(get("target_roles"), ';')) r.target_roles.push_back(lower(role));
    const std::string year = get("year");
    if (year.size() != 4 || !std::all_of(year.begin(), year.end(), ::isdigit)) {
      return Error::invalid_argument("year: must be a year, not '" + year + "'", line);
    }
    r.year = std::stoi(year);
    r.sources = split(get("sources"), ';');
    if (r.sources.empty())
      return Error::invalid_argument("sources: at least one URL is needed", line);
    for (const auto& url : r.sources) {
      if (!url.starts_with("https://") && !url.starts_with("http://")) {
        return Error::invalid_argument("sources: '" + url + "' is not a URL", line);
      }
    }
    auto confidence = confidence_from_string(get("confidence"));
    if (!confidence.ok()) return field_error("confidence", confidence.error());
    r.confidence = confidence.value();
    r.publisher = get("publisher");
    r.summary = get("summary");
    records.push_back(std::move(r));
  }
  return records;
}

std::string to_evidence_csv(const std::vector<EvidenceRecord>& records) {
  std::string out =
      csv::format_record(std::vector<std::string>(std::begin(kColumns), std::end(kColumns)));
  const auto join = [](const std::vector<std::string>& parts) {
    std::string text;
    for (const auto& p : parts) text += (text.empty() ? "" : "; ") + p;
    return text;
  };
  for (const auto& r : records) {
    out += csv::format_record({r.id, std::string(to_string(r.kind)), r.country, r.end_user,
                               r.end_user_type, r.vendor, std::string(to_string(r.technology)),
                               join(r.target_roles), std::to_string(r.year), join(r.sources),
                               std::string(to_string(r.confidence)), r.publisher, r.summary});
  }
  return out;
}

Result<std::vector<EvidenceRecord>> import_targets_csv(std::string_view text,
                                                       std::string_view vendor,
                                                       std::string_view dataset) {
  csv::Reader reader(text);
  const csv::Header header =
      CANDOR_TRY(csv::read_header(reader, {"name", "role", "occurred", "operator", "sources"}));
  std::vector<std::string> fields;
  std::vector<EvidenceRecord> records;
  std::map<std::string, int> seen;
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error();
    if (!more.value()) break;
    const std::string line = "line " + std::to_string(reader.line());
    const auto get = [&](const char* column) { return trim(header.value(fields, column)); };
    // The year it happened; lists leave "occurred" empty when only the disclosure is dated.
    std::string year;
    for (const char* column : {"occurred", "first_activity", "disclosed"}) {
      if (year.empty()) year = get(column).substr(0, 4);
    }
    if (year.size() != 4 || !std::all_of(year.begin(), year.end(), ::isdigit)) {
      return Error::invalid_argument(
          "occurred: must start with a year, not '" + get("occurred") + "'", line);
    }
    const auto sources = split(get("sources"), ';');
    const std::string result = get("attack_result");
    const bool forensic =
        !get("forensics_by").empty() || result.find("Successful") != std::string::npos;
    for (const auto& operator_name : split(get("operator"), ';')) {
      auto country = country_code(operator_name, line);
      if (!country.ok())
        return Error::invalid_argument("operator: " + country.error().message(), line);
      EvidenceRecord r;
      std::string id =
          std::string(dataset) + ":" + slug(get("name")) + "-" + year + "-" + slug(country.value());
      if (const int n = ++seen[id]; n > 1) id += "-" + std::to_string(n);
      r.id = std::move(id);
      r.kind = EvidenceKind::targeting;
      r.country = country.value();
      r.vendor = std::string(vendor);
      r.technology = Technology::intrusion_software;
      if (auto role = lower(get("role")); !role.empty()) r.target_roles.push_back(role);
      r.year = std::stoi(year);
      r.sources = sources;
      r.confidence = forensic ? Confidence::confirmed : Confidence::probable;
      r.publisher = get("disclosed_by");
      r.summary = get("role") +
                  (get("affiliation").empty() ? "" : " (" + get("affiliation") + ")") +
                  " targeted with " + std::string(vendor) + " spyware" +
                  (result.empty() ? "" : ", " + lower(result));
      records.push_back(std::move(r));
    }
  }
  return records;
}

Result<std::vector<EvidenceRecord>> import_finfisher_tsv(std::string_view text) {
  csv::Reader reader(text, '\t');
  const csv::Header header = CANDOR_TRY(csv::read_header(reader, {"CODE", "COUNTRY", "PRODUCT"}));
  std::vector<std::string> fields;
  struct Customer {
    std::string country_cell;
    std::set<std::string> products;
  };
  std::map<std::string, Customer> customers;
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error();
    if (!more.value()) break;
    const auto get = [&](const char* column) { return trim(header.value(fields, column)); };
    const std::string code = get("CODE");
    if (code.empty()) continue;
    auto& customer = customers[code];
    if (customer.country_cell.empty()) customer.country_cell = get("COUNTRY");
    if (auto product = get("PRODUCT"); !product.empty()) customer.products.insert(product);
  }
  std::vector<EvidenceRecord> records;
  for (const auto& [code, customer] : customers) {
    if (customer.country_cell.empty()) continue;  // The leak does not say whose it is.
    // "Qatar SSB", "Australia NSW Police": the longest leading words that name a country.
    const auto words = split(customer.country_cell, ' ');
    std::string country;
    std::size_t used = 0;
    for (std::size_t n = words.size(); n > 0 && country.empty(); --n) {
      std::string name;
      for (std::size_t k = 0; k < n; ++k) name += (k ? " " : "") + words[k];
      if (auto c = CountryCode::from_name(name); c.ok()) {
        country = std::string(c->alpha2());
        used = n;
      }
    }
    if (country.empty()) continue;
    EvidenceRecord r;
    r.id = "finfisher:" + slug(code);
    r.kind = EvidenceKind::procurement;
    r.country = country;
    for (std::size_t k = used; k < words.size(); ++k)
      r.end_user += (r.end_user.empty() ? "" : " ") + words[k];
    // The agency's kind when its name says it ("NSW Police", "Intelligence").
    const std::string agency = lower(r.end_user);
    if (agency.find("police") != std::string::npos) r.end_user_type = "police";
    if (agency.find("intelligence") != std::string::npos) r.end_user_type = "intelligence";
    r.vendor = "FinFisher";
    r.technology = Technology::intrusion_software;
    r.year = 2014;
    r.sources = {"https://wikileaks.org/spyfiles4/customers.html"};
    r.confidence = Confidence::probable;
    r.publisher = "WikiLeaks (SpyFiles 4)";
    std::string products;
    for (const auto& p : customer.products) products += (products.empty() ? "" : ", ") + p;
    r.summary = "FinFisher customer ";
    r.summary.append(code).append(" bought ").append(products);
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace candor::risk
