#include "register/search.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "core/country.h"

namespace candor::reg {
namespace {

bool plain(std::string_view text, std::size_t max, std::string_view extra) {
  return text.size() <= max && std::ranges::all_of(text, [&](char ch) {
           return std::isalnum(static_cast<unsigned char>(ch)) != 0 ||
                  extra.find(ch) != std::string_view::npos;
         });
}

// The WHERE clause for `query` over register_entries e (and register_controls rc when the
// query names a control entry), with its parameters.
struct Clause {
  std::string from;
  std::string where;
  std::vector<store::Value> params;
  std::string order;

  void add(const std::string& condition, store::Value value) {
    params.push_back(std::move(value));
    where += " AND " + condition + std::to_string(params.size());
  }
};

// drive_from_control: read the control's own index (in entry order) and check the other
// filters on each entry; else read the other filters' index and check the control.
Clause clause_of(const Query& q, bool drive_from_control) {
  Clause out;
  if (!q.control.empty() && drive_from_control) {
    out.from = "register_controls rc JOIN register_entries e ON e.idx = rc.idx";
    out.order = "rc.idx";
    out.add("rc.control = $", q.control);
  } else {
    out.from = "register_entries e";
    out.order = "e.idx";
    if (!q.control.empty()) {
      out.params.emplace_back(q.control);
      out.where += " AND EXISTS (SELECT 1 FROM register_controls rc WHERE rc.control = $" +
                   std::to_string(out.params.size()) + " AND rc.idx = e.idx)";
    }
  }
  if (!q.destination.empty()) out.add("e.destination = $", q.destination);
  if (!q.decision.empty()) out.add("e.decision = $", q.decision);
  if (q.year != 0) out.add("e.year = $", q.year);
  if (!q.authority.empty()) out.add("e.authority = $", q.authority);
  if (!q.end_user_type.empty()) out.add("e.end_user_type = $", q.end_user_type);
  if (!q.category.empty()) out.add("e.category = $", q.category);
  if (!q.exporter.empty()) {
    const std::string key = search_key(q.exporter);
    out.add("e.exporter_key >= $", key);
    // U+FFFF sorts after every character a name holds.
    out.add("e.exporter_key < $", key + "\xEF\xBF\xBF");
  }
  out.where +=
      " AND NOT EXISTS (SELECT 1 FROM register_entries later WHERE later.corrects = e.entry_id "
      "AND later.corrects <> '')";
  return out;
}

// Entries under one control entry, counted once per size of the log: whether a search by
// control entry and destination (or year, ...) reads the smaller of the two sets. SQLite's
// statistics know only the average control entry, and 5A002 alone is a tenth of a register.
Result<std::uint64_t> control_count(store::Connection& c, const std::string& control) {
  static std::mutex mutex;
  static std::uint64_t size = UINT64_MAX;
  static std::map<std::string, std::uint64_t> known;
  auto rows = CANDOR_TRY(c.query("SELECT COALESCE(MAX(idx) + 1, 0) FROM register_entries"));
  const auto now = static_cast<std::uint64_t>(CANDOR_TRY(rows.at(0).get<std::int64_t>(0)));
  {
    std::lock_guard lock(mutex);
    if (size != now) {
      known.clear();
      size = now;
    }
    if (const auto it = known.find(control); it != known.end()) return it->second;
  }
  auto counted =
      CANDOR_TRY(c.query("SELECT COUNT(*) FROM register_controls WHERE control = $1", {control}));
  const auto n = static_cast<std::uint64_t>(CANDOR_TRY(counted.at(0).get<std::int64_t>(0)));
  std::lock_guard lock(mutex);
  if (size == now && known.size() < 10'000) known[control] = n;
  return n;
}

}  // namespace

std::string search_key(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Result<Query> Query::from(const std::function<std::optional<std::string>(std::string_view)>& get) {
  Query q;
  const auto text = [&](std::string_view name) { return get(name).value_or(""); };
  if (const auto d = text("destination"); !d.empty()) {
    auto code = CountryCode::parse(d);
    if (!code.ok()) return Error::invalid_argument("destination: not an ISO 3166-1 country code");
    q.destination = std::string(code->alpha2());
  }
  q.control = text("control");
  if (!plain(q.control, 40, ".-")) {
    return Error::invalid_argument("control: not a control entry (letters, digits, '.', '-')");
  }
  q.decision = text("decision");
  if (!plain(q.decision, 40, "_")) return Error::invalid_argument("decision: not a decision");
  if (const auto y = text("year"); !y.empty()) {
    const bool digits = std::all_of(y.begin(), y.end(), [](char ch) {
      return std::isdigit(static_cast<unsigned char>(ch)) != 0;
    });
    if (y.size() != 4 || !digits)
      return Error::invalid_argument("year: must be a year such as 2014");
    q.year = std::stoll(y);
  }
  q.authority = text("authority");
  if (!plain(q.authority, 8, "")) return Error::invalid_argument("authority: not a member state");
  q.exporter = search_key(text("exporter"));
  if (q.exporter.size() > 200) return Error::invalid_argument("exporter: at most 200 characters");
  q.end_user_type = text("end_user_type");
  if (!plain(q.end_user_type, 40, "_")) {
    return Error::invalid_argument("end_user_type: not an end-user type");
  }
  q.category = text("category");
  if (!plain(q.category, 60, "_-")) return Error::invalid_argument("category: not a category");
  return q;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) != 0 || ch == '-' || ch == '_' || ch == '.') {
      out += ch;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string Query::to_params() const {
  std::string out;
  const auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += percent_encode(value);
  };
  add("destination", destination);
  add("control", control);
  add("decision", decision);
  add("year", year == 0 ? "" : std::to_string(year));
  add("authority", authority);
  add("exporter", exporter);
  add("end_user_type", end_user_type);
  add("category", category);
  return out;
}

Result<std::optional<std::uint64_t>> count(store::Connection& c, const Query& query) {
  if (!query.summarised()) return std::optional<std::uint64_t>();
  std::uint64_t total = 0;
  for (const auto& row : CANDOR_TRY(counts(c, query))) {
    total += static_cast<std::uint64_t>(std::max<std::int64_t>(row.entries, 0));
  }
  return std::optional<std::uint64_t>(total);
}

Result<Page> search(store::Connection& c, const Query& query, std::uint64_t offset,
                    std::uint64_t limit, std::optional<std::uint64_t> before, bool with_entry) {
  bool drive_from_control = true;
  if (!query.control.empty()) {
    Query rest = query;
    rest.control.clear();
    if (rest.summarised() && !rest.empty()) {
      const auto others = CANDOR_TRY(count(c, rest));
      drive_from_control = CANDOR_TRY(control_count(c, query.control)) <= others.value_or(0);
    }
  }
  Clause clause = clause_of(query, drive_from_control);
  Page page;
  std::string sql = std::string("SELECT e.idx, e.entry_id, ") +
                    (with_entry ? "e.leaf_input" : "NULL") +
                    ", e.published_at, e.decision, e.decision_date, e.destination, "
                    "e.destination_name, e.category, e.control_entries, e.exporter, e.value_band, "
                    "e.description FROM " +
                    clause.from + " WHERE 1 = 1" + clause.where;
  auto params = clause.params;
  if (before) {
    params.emplace_back(static_cast<std::int64_t>(*before));
    sql += " AND " + clause.order + " < $" + std::to_string(params.size());
  }
  params.emplace_back(static_cast<std::int64_t>(limit + 1));
  sql += " ORDER BY " + clause.order + " DESC LIMIT $" + std::to_string(params.size());
  params.emplace_back(static_cast<std::int64_t>(before ? 0 : offset));
  sql += " OFFSET $" + std::to_string(params.size());
  auto rows = CANDOR_TRY(c.query(sql, params));
  page.more = rows.size() > limit;
  if (page.more) rows.pop_back();
  page.hits.reserve(rows.size());
  for (const auto& row : rows) {
    Hit hit;
    hit.index = static_cast<std::uint64_t>(CANDOR_TRY(row.get<std::int64_t>(0)));
    hit.entry_id = CANDOR_TRY(row.get<std::string>(1));
    if (with_entry) {
      const auto blob = CANDOR_TRY(row.get<store::Blob>(2));
      hit.leaf_input.assign(blob.bytes.begin(), blob.bytes.end());
    }
    hit.published_at = CANDOR_TRY(row.get<std::string>(3));
    hit.decision = CANDOR_TRY(row.get<std::string>(4));
    hit.decision_date = CANDOR_TRY(row.get<std::string>(5));
    hit.destination = CANDOR_TRY(row.get<std::string>(6));
    hit.destination_name = CANDOR_TRY(row.get<std::string>(7));
    hit.category = CANDOR_TRY(row.get<std::string>(8));
    hit.control_entries = CANDOR_TRY(row.get<std::string>(9));
    hit.exporter = CANDOR_TRY(row.get<std::string>(10));
    hit.value_band = CANDOR_TRY(row.get<std::string>(11));
    hit.description = CANDOR_TRY(row.get<std::string>(12));
    page.hits.push_back(std::move(hit));
  }
  return page;
}

Result<std::vector<Count>> counts(store::Connection& c, const Query& query) {
  std::string sql =
      "SELECT authority, year, destination, decision, category, entries FROM register_summary "
      "WHERE entries <> 0";
  std::vector<store::Value> params;
  const auto add = [&](const char* column, store::Value value) {
    params.push_back(std::move(value));
    sql += std::string(" AND ") + column + " = $" + std::to_string(params.size());
  };
  if (!query.authority.empty()) add("authority", query.authority);
  if (query.year != 0) add("year", query.year);
  if (!query.destination.empty()) add("destination", query.destination);
  if (!query.decision.empty()) add("decision", query.decision);
  if (!query.category.empty()) add("category", query.category);
  auto rows = CANDOR_TRY(c.query(sql, params));
  std::vector<Count> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back({CANDOR_TRY(row.get<std::string>(0)), CANDOR_TRY(row.get<std::int64_t>(1)),
                   CANDOR_TRY(row.get<std::string>(2)), CANDOR_TRY(row.get<std::string>(3)),
                   CANDOR_TRY(row.get<std::string>(4)), CANDOR_TRY(row.get<std::int64_t>(5))});
  }
  return out;
}

}  // namespace candor::reg
