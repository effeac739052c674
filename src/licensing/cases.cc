#include "licensing/cases.h"

#include <algorithm>
#include <array>
#include <set>

#include "catalogue/classify.h"
#include "core/country.h"
#include "core/digest.h"
#include "core/money.h"
#include "core/utf8.h"
#include "licensing/audit.h"
#include "licensing/case_store.h"

namespace candor::licensing {

using detail::CaseRow;
using detail::require_role;

namespace {

constexpr std::array<std::string_view, 8> kEndUserTypes = {
    "intelligence",     "police",          "military", "other_government",
    "telecom_operator", "private_company", "research", "individual"};
constexpr std::array<std::string_view, 4> kDocumentKinds = {
    "end_user_certificate", "technical_specification", "contract", "other"};
constexpr std::int64_t kMaxText = 20000;

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& options, std::string_view value) {
  return std::find(options.begin(), options.end(), value) != options.end();
}

template <std::size_t N>
std::string options_text(const std::array<std::string_view, N>& options) {
  std::string out;
  for (const auto option : options) {
    if (!out.empty()) out += ", ";
    out += option;
  }
  return out;
}

Result<void> check_text(std::string_view field, const std::string& value, bool required,
                        std::size_t max = kMaxText) {
  if (required && value.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::invalid_argument(std::string(field) + ": enter a value");
  }
  if (value.size() > max) {
    return Error::invalid_argument(std::string(field) + ": must be at most " + std::to_string(max) +
                                   " characters");
  }
  if (!utf8::is_valid(value)) {
    return Error::invalid_argument(std::string(field) + ": must be UTF-8 text");
  }
  return {};
}

constexpr std::int64_t kMaxItemValue = 1'000'000'000'000;

Result<std::int64_t> parse_value(const ItemInput& item, std::string_view field) {
  auto money = Money::parse(item.currency + " " + item.value);
  if (!money.ok()) {
    return Error::invalid_argument(std::string(field) +
                                   ".value: enter an amount like 250000.00 in a known currency");
  }
  if (money->minor_units() < 0) {
    return Error::invalid_argument(std::string(field) + ".value: must not be negative");
  }
  // No export licence is worth a trillion; the cap keeps every sum of a case's values far
  // from the 64-bit limit (publication.cc adds them with checks all the same).
  std::int64_t whole = money->minor_units();
  for (int i = 0; i < money->currency().minor_digits(); ++i) whole /= 10;
  if (whole >= kMaxItemValue) {
    return Error::invalid_argument(std::string(field) +
                                   ".value: must be less than 1,000,000,000,000");
  }
  return money->minor_units();
}

Result<void> validate_item(const ItemInput& item, std::string_view field,
                           const catalogue::Catalogue& catalogue) {
  CANDOR_TRY(check_text(std::string(field) + ".name", item.name, true, 200));
  CANDOR_TRY(check_text(std::string(field) + ".description", item.description, false, 4000));
  if (!item.declared_entry.empty() && item.declared_entry != "Art. 5" &&
      catalogue.entry(item.declared_entry) == nullptr) {
    return Error::invalid_argument(std::string(field) + ".declared_entry: '" + item.declared_entry +
                                   "' is not an entry of the control list");
  }
  if (item.quantity < 1 || item.quantity > 1'000'000'000) {
    return Error::invalid_argument(std::string(field) + ".quantity: must be 1 to 1000000000");
  }
  CANDOR_TRY(parse_value(item, field));
  if (!item.facts.is_object()) {
    return Error::invalid_argument(std::string(field) + ".facts: must be an object");
  }
  auto parsed = catalogue::parse_item(
      {{"name", item.name}, {"description", item.description}, {"facts", item.facts}}, catalogue);
  if (!parsed.ok()) {
    const auto& e = parsed.error();
    return Error::invalid_argument(std::string(field) + "." +
                                   (e.context().empty() ? "facts" : e.context()) + ": " +
                                   e.message());
  }
  return {};
}

Result<void> validate_party(const PartyInput& party, std::string_view field) {
  if (party.role != "consignee" && party.role != "end_user" && party.role != "intermediary") {
    return Error::invalid_argument(std::string(field) +
                                   ".role: must be consignee, end_user or intermediary");
  }
  CANDOR_TRY(check_text(std::string(field) + ".name", party.name, true, 300));
  CANDOR_TRY(check_text(std::string(field) + ".address", party.address, false, 1000));
  if (!CountryCode::parse(party.country).ok()) {
    return Error::invalid_argument(std::string(field) +
                                   ".country: choose a country (ISO 3166 alpha-2 code)");
  }
  if (party.kind != "organisation" && party.kind != "person") {
    return Error::invalid_argument(std::string(field) + ".kind: must be organisation or person");
  }
  return {};
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return text;
}

Result<void> insert_item(store::Connection& c, std::int64_t case_id, const ItemInput& item) {
  const auto minor = CANDOR_TRY(parse_value(item, "item"));
  CANDOR_TRY(c.execute(
      "INSERT INTO case_items (case_id, name, description, declared_entry, facts, quantity, "
      "value_minor, currency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {case_id, item.name, item.description, item.declared_entry, item.facts.dump(), item.quantity,
       minor, upper(item.currency)}));
  return {};
}

Result<void> insert_party(store::Connection& c, std::int64_t case_id, const PartyInput& party) {
  CANDOR_TRY(c.execute(
      "INSERT INTO case_parties (case_id, role, name, country, kind, address) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {case_id, party.role, party.name, upper(party.country), party.kind, party.address}));
  if (party.role == "end_user") {
    CANDOR_TRY(c.execute("UPDATE cases SET destination = $1 WHERE id = $2",
                         {upper(party.country), case_id}));
  }
  return {};
}

Result<void> require_draft(const CaseRow& row) {
  if (row.state != CaseState::draft) {
    return Error::conflict("the application was submitted; it can no longer be changed",
                           "case:" + row.reference);
  }
  return {};
}

Result<std::string> next_number(store::Connection& c, std::string_view prefix,
                                std::string_view column, const Timestamp& now) {
  const std::string stem = std::string(prefix) + now.date().substr(0, 4) + "-";
  auto rows = CANDOR_TRY(c.query(
      "SELECT COUNT(*) FROM cases WHERE " + std::string(column) + " LIKE $1", {stem + "%"}));
  const auto count = CANDOR_TRY(rows.at(0).get<std::int64_t>(0));
  std::string digits = std::to_string(count + 1);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return stem + digits;
}

}  // namespace

const std::vector<Criterion>& refusal_criteria() {
  static const std::vector<Criterion> kCriteria = {
      {"criterion_1", "Criterion 1: international obligations, sanctions and embargoes"},
      {"criterion_2",
       "Criterion 2: clear risk of internal repression or serious violations of "
       "human rights (Art. 15(1))"},
      {"criterion_3", "Criterion 3: internal situation in the country of final destination"},
      {"criterion_4", "Criterion 4: regional peace, security and stability"},
      {"criterion_5", "Criterion 5: national security of the Member States and their allies"},
      {"criterion_6", "Criterion 6: behaviour of the buyer country towards international law"},
      {"criterion_7", "Criterion 7: risk of diversion or re-export"},
      {"criterion_8", "Criterion 8: compatibility with the technical and economic capacity"},
      {"art_5", "Art. 5: unlisted cyber-surveillance item intended for internal repression"},
  };
  return kCriteria;
}

const std::vector<Criterion>& standard_conditions() {
  static const std::vector<Criterion> kConditions = {
      {"end_use_statement", "The end user's signed end-use statement binds the use of the items"},
      {"no_re_export", "No re-export or transfer without the authority's prior consent"},
      {"post_shipment_verification", "Post-shipment verification on the authority's request"},
      {"training_and_remote_access_limits",
       "No remote access, maintenance or training beyond the declared end use"},
      {"reporting", "Report every export made under the licence within 30 days"},
  };
  return kConditions;
}

namespace detail {

Result<void> require_role(const User& actor, std::initializer_list<Role> roles,
                          std::string_view what) {
  if (std::find(roles.begin(), roles.end(), actor.role) != roles.end()) return {};
  return Error::permission_denied("a " + std::string(to_string(actor.role)) + " may not " +
                                  std::string(what));
}

Result<CaseRow> load_visible(store::Connection& c, const User& actor,
                             const std::string& reference) {
  if (actor.role == Role::admin) {
    return Error::permission_denied("an administrator does not read case files");
  }
  auto rows = CANDOR_TRY(c.query(
      "SELECT k.id, k.reference, k.organisation_id, o.name, k.state, k.licence_type, k.title, "
      "k.destination, k.end_use, k.end_user_type, k.assigned_to, COALESCE(u.name, ''), "
      "COALESCE(k.target_date, ''), COALESCE(k.submitted_at, ''), COALESCE(k.decided_at, ''), "
      "COALESCE(k.licence_number, ''), k.decision_reasons, k.criteria, k.conditions, "
      "k.red_flags, k.created_at, k.withheld_fields FROM cases k JOIN organisations o ON "
      "o.id = k.organisation_id "
      "LEFT JOIN users u ON u.id = k.assigned_to WHERE k.reference = $1",
      {reference}));
  const Error missing = Error::not_found("There is no case " + reference + " you can see.");
  if (rows.empty()) return missing;
  const auto& r = rows[0];
  CaseRow row;
  row.id = CANDOR_TRY(r.get<std::int64_t>(0));
  row.reference = CANDOR_TRY(r.get<std::string>(1));
  row.organisation_id = CANDOR_TRY(r.get<std::int64_t>(2));
  row.organisation = CANDOR_TRY(r.get<std::string>(3));
  const auto state = state_from_string(CANDOR_TRY(r.get<std::string>(4)));
  if (!state) return Error::data_loss("case " + row.reference + " has an unknown state");
  row.state = *state;
  row.licence_type = CANDOR_TRY(r.get<std::string>(5));
  row.title = CANDOR_TRY(r.get<std::string>(6));
  row.destination = CANDOR_TRY(r.get<std::string>(7));
  row.end_use = CANDOR_TRY(r.get<std::string>(8));
  row.end_user_type = CANDOR_TRY(r.get<std::string>(9));
  row.assigned_to = CANDOR_TRY(r.get<std::optional<std::int64_t>>(10));
  row.assigned_name = CANDOR_TRY(r.get<std::string>(11));
  row.target_date = CANDOR_TRY(r.get<std::string>(12));
  row.submitted_at = CANDOR_TRY(r.get<std::string>(13));
  row.decided_at = CANDOR_TRY(r.get<std::string>(14));
  row.licence_number = CANDOR_TRY(r.get<std::string>(15));
  row.decision_reasons = CANDOR_TRY(r.get<std::string>(16));
  row.criteria = CANDOR_TRY(r.get<std::string>(17));
  row.conditions = CANDOR_TRY(r.get<std::string>(18));
  row.red_flags = CANDOR_TRY(r.get<std::string>(19));
  row.created_at = CANDOR_TRY(r.get<std::string>(20));
  row.withheld = CANDOR_TRY(r.get<std::string>(21));
  switch (actor.role) {
    case Role::exporter:
      if (actor.organisation_id != row.organisation_id) return missing;
      break;
    case Role::officer:
      if (row.state == CaseState::draft) return missing;  // Not with the authority yet.
      break;
    case Role::adviser: {
      auto asked =
          CANDOR_TRY(c.query("SELECT 1 FROM advice_requests WHERE case_id = $1 AND adviser_id = $2",
                             {row.id, actor.id}));
      if (asked.empty()) return missing;
      break;
    }
    case Role::admin: return missing;
  }
  return row;
}

Result<void> record(store::Connection& c, Timestamp at, const User& actor, const CaseRow& row,
                    std::string_view action, std::string_view from, std::string_view to,
                    std::string_view reason, bool visible_to_exporter,
                    const nlohmann::json& detail) {
  CANDOR_TRY(c.execute(
      "INSERT INTO case_events (case_id, occurred_at, actor_id, action, from_state, to_state, "
      "reason, visible_to_exporter) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {row.id, at.to_rfc3339(), actor.id, std::string(action), std::string(from), std::string(to),
       std::string(reason), std::int64_t{visible_to_exporter ? 1 : 0}}));
  nlohmann::json full = detail;
  if (!from.empty()) full["from"] = from;
  if (!to.empty()) full["to"] = to;
  if (!reason.empty()) full["reason"] = reason;
  return audit(c, at, actor_label(actor), "case." + std::string(action), "case:" + row.reference,
               full);
}

// Howard Hinnant's days-from-civil algorithm, written out for dates in years 1-9999.
std::optional<std::int64_t> days_of(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return std::nullopt;
  }
  const auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (date[i] - '0');
    return v;
  };
  const int y0 = num(0, 4);
  const int m = num(5, 2);
  const int d = num(8, 2);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y0 < 1 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return std::nullopt;
  const bool leap = (y0 % 4 == 0 && y0 % 100 != 0) || y0 % 400 == 0;
  if (m == 2 && d == 29 && !leap) return std::nullopt;
  const int y = m <= 2 ? y0 - 1 : y0;
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

std::string date_of_days(std::int64_t days) {
  const auto t = Timestamp::from_unix_micros(days * 86400 * 1'000'000);
  return t.ok() ? t->date() : "";
}

}  // namespace detail

Cases::Cases(store::Database& db, const Clock& clock, const Checks& checks,
             const ExchangeConfig* exchange)
    : db_(db), clock_(clock), checks_(checks), exchange_(exchange) {}

Result<std::string> Cases::create(const User& actor, const CaseInput& input) {
  CANDOR_TRY(require_role(actor, {Role::exporter}, "apply for a licence"));
  if (input.licence_type != "individual" && input.licence_type != "global") {
    return Error::invalid_argument("licence_type: must be individual or global");
  }
  CANDOR_TRY(check_text("title", input.title, true, 200));
  CANDOR_TRY(check_text("end_use", input.end_use, false));
  if (!one_of(kEndUserTypes, input.end_user_type)) {
    return Error::invalid_argument("end_user_type: must be one of " + options_text(kEndUserTypes));
  }
  for (std::size_t i = 0; i < input.items.size(); ++i) {
    CANDOR_TRY(
        validate_item(input.items[i], "items[" + std::to_string(i) + "]", checks_.catalogue()));
  }
  for (std::size_t i = 0; i < input.parties.size(); ++i) {
    CANDOR_TRY(validate_party(input.parties[i], "parties[" + std::to_string(i) + "]"));
  }
  const Timestamp now = clock_.now();
  return db_.transact<std::string>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<std::string> {
        const std::string reference = CANDOR_TRY(next_number(c, "C-", "reference", now));
        auto rows = CANDOR_TRY(c.query(
            "INSERT INTO cases (reference, organisation_id, created_by, licence_type, state, "
            "title, destination, end_use, end_user_type, created_at, updated_at, "
            "withheld_fields) VALUES ($1, $2, $3, $4, 'draft', $5, '', $6, $7, $8, $8, $9) "
            "RETURNING id",
            {reference, *actor.organisation_id, actor.id, input.licence_type, input.title,
             input.end_use, input.end_user_type, now.to_rfc3339(),
             input.withhold_exporter
                 ? nlohmann::json::array({{{"field", "exporter"}, {"rule", kExporterWithheldRule}}})
                       .dump()
                 : std::string("[]")}));
        const auto id = CANDOR_TRY(rows.at(0).get<std::int64_t>(0));
        for (const auto& item : input.items) CANDOR_TRY(insert_item(c, id, item));
        for (const auto& party : input.parties) CANDOR_TRY(insert_party(c, id, party));
        CaseRow row;
        row.id = id;
        row.reference = reference;
        CANDOR_TRY(detail::record(c, now, actor, row, "create", "", "draft", "", true));
        return reference;
      });
}

Result<void> Cases::add_item(const User& actor, const std::string& reference,
                             const ItemInput& item) {
  CANDOR_TRY(require_role(actor, {Role::exporter}, "change an application"));
  CANDOR_TRY(validate_item(item, "item", checks_.catalogue()));
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        CANDOR_TRY(require_draft(row));
        CANDOR_TRY(insert_item(c, row.id, item));
        return audit(c, now, actor_label(actor), "case.add_item", "case:" + reference,
                     {{"name", item.name}});
      });
}

Result<void> Cases::add_party(const User& actor, const std::string& reference,
                              const PartyInput& party) {
  CANDOR_TRY(require_role(actor, {Role::exporter}, "change an application"));
  CANDOR_TRY(validate_party(party, "party"));
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        CANDOR_TRY(require_draft(row));
        if (party.role == "end_user") {
          auto existing =
              CANDOR_TRY(c.query("SELECT 1 FROM case_parties WHERE case_id = $1 AND role = "
                                 "'end_user'",
                                 {row.id}));
          if (!existing.empty()) {
            return Error::conflict(
                "party.role: the application already has an end user; "
                "remove it first");
          }
        }
        CANDOR_TRY(insert_party(c, row.id, party));
        return audit(c, now, actor_label(actor), "case.add_party", "case:" + reference,
                     {{"name", party.name}, {"role", party.role}});
      });
}

Result<void> Cases::remove_item(const User& actor, const std::string& reference, std::int64_t id) {
  return remove_from_draft(actor, reference, "case_items", "item", id);
}

Result<void> Cases::remove_party(const User& actor, const std::string& reference, std::int64_t id) {
  return remove_from_draft(actor, reference, "case_parties", "party", id);
}

Result<void> Cases::remove_from_draft(const User& actor, const std::string& reference,
                                      std::string_view table, std::string_view what,
                                      std::int64_t id) {
  CANDOR_TRY(require_role(actor, {Role::exporter}, "change an application"));
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        CANDOR_TRY(require_draft(row));
        const auto changed = CANDOR_TRY(c.execute(
            "DELETE FROM " + std::string(table) + " WHERE id = $1 AND case_id = $2", {id, row.id}));
        if (changed == 0) {
          return Error::not_found("no such " + std::string(what) + " on this application");
        }
        return audit(c, now, actor_label(actor), "case.remove_" + std::string(what),
                     "case:" + reference, {{std::string(what), id}});
      });
}

Result<std::int64_t> Cases::add_document(const User& actor, const std::string& reference,
                                         const DocumentInput& document) {
  CANDOR_TRY(require_role(actor, {Role::exporter, Role::officer}, "upload documents"));
  if (!one_of(kDocumentKinds, document.kind)) {
    return Error::invalid_argument("document.kind: must be one of " + options_text(kDocumentKinds));
  }
  CANDOR_TRY(check_text("document.filename", document.filename, true, 200));
  if (document.filename.find_first_of("/\\") != std::string::npos ||
      std::any_of(document.filename.begin(), document.filename.end(),
                  [](unsigned char ch) { return ch < 0x20 || ch == 0x7F || ch == '"'; })) {
    return Error::invalid_argument("document.filename: must be a plain file name");
  }
  if (document.content.empty()) return Error::invalid_argument("document.file: the file is empty");
  if (document.content.size() > kMaxDocumentBytes) {
    return Error(ErrorKind::resource_exhausted, "document.file: must be at most 5 MB");
  }
  const std::string type =
      document.content_type.empty() ? "application/octet-stream" : document.content_type;
  CANDOR_TRY(check_text("document.content_type", type, true, 100));
  const Timestamp now = clock_.now();
  const std::string digest = sha256_of(document.content);
  return db_.transact<std::int64_t>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<std::int64_t> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        if (actor.role == Role::exporter && row.state != CaseState::draft &&
            row.state != CaseState::information_requested) {
          return Error::conflict(
              "documents can be added to a draft, or when the authority asks for information");
        }
        store::Blob blob{
            std::vector<std::uint8_t>(document.content.begin(), document.content.end())};
        auto rows = CANDOR_TRY(c.query(
            "INSERT INTO documents (case_id, kind, filename, content_type, size, sha256, content, "
            "uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            {row.id, document.kind, document.filename, type,
             static_cast<std::int64_t>(document.content.size()), digest, std::move(blob), actor.id,
             now.to_rfc3339()}));
        const auto id = CANDOR_TRY(rows.at(0).get<std::int64_t>(0));
        CANDOR_TRY(detail::record(
            c, now, actor, row, "upload_document", "", "", document.filename, true,
            {{"document", id}, {"sha256", digest}, {"size", document.content.size()}}));
        return id;
      });
}

Result<Document> Cases::read_document(const User& actor, std::int64_t id) {
  const Timestamp now = clock_.now();
  return db_.transact<Document>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<Document> {
        auto rows = CANDOR_TRY(c.query(
            "SELECT d.id, k.reference, d.kind, d.filename, d.content_type, d.sha256, d.content "
            "FROM documents d JOIN cases k ON k.id = d.case_id WHERE d.id = $1",
            {id}));
        if (rows.empty()) return Error::not_found("no such document");
        Document doc;
        doc.id = CANDOR_TRY(rows[0].get<std::int64_t>(0));
        doc.case_reference = CANDOR_TRY(rows[0].get<std::string>(1));
        auto visible = detail::load_visible(c, actor, doc.case_reference);
        if (!visible.ok()) return Error::not_found("no such document");
        doc.kind = CANDOR_TRY(rows[0].get<std::string>(2));
        doc.filename = CANDOR_TRY(rows[0].get<std::string>(3));
        doc.content_type = CANDOR_TRY(rows[0].get<std::string>(4));
        doc.sha256 = CANDOR_TRY(rows[0].get<std::string>(5));
        const auto blob = CANDOR_TRY(rows[0].get<store::Blob>(6));
        doc.content.assign(blob.bytes.begin(), blob.bytes.end());
        CANDOR_TRY(audit(c, now, actor_label(actor), "document.read",
                         "document:" + std::to_string(doc.id),
                         {{"case", doc.case_reference}, {"sha256", doc.sha256}}));
        return doc;
      });
}

}  // namespace candor::licensing
