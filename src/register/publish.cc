#include "register/publish.h"

#include <set>

#include "core/canonical_json.h"
#include "register/fields.h"

namespace candor::reg {
namespace {

std::string text_of(const nlohmann::json& entry, const char* key) {
  const auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string joined(const nlohmann::json& entry, const char* key) {
  std::string out;
  const auto it = entry.find(key);
  if (it == entry.end() || !it->is_array()) return out;
  for (const auto& value : *it) {
    if (!value.is_string()) continue;
    if (!out.empty()) out += " ";
    out += value.get<std::string>();
  }
  return out;
}

Result<std::int64_t> delay_days(store::Connection& c) {
  auto rows =
      CANDOR_TRY(c.query("SELECT value FROM settings WHERE key = 'publication_delay_days'"));
  if (rows.empty()) return std::int64_t{0};
  const std::string text = CANDOR_TRY(rows[0].get<std::string>(0));
  try {
    const long long days = std::stoll(text);
    if (days < 0 || days > 3650) throw std::out_of_range("delay");
    return static_cast<std::int64_t>(days);
  } catch (const std::exception&) {
    return Error::data_loss("setting publication_delay_days is not 0 to 3650: " + text);
  }
}

}  // namespace

NewEntry columns_of(const nlohmann::json& entry, std::string leaf_input) {
  NewEntry out;
  out.entry_id = text_of(entry, "entry_id");
  out.leaf_input = std::move(leaf_input);
  if (entry.contains("authority") && entry["authority"].is_object()) {
    out.authority = text_of(entry["authority"], "member_state");
  }
  out.decision = text_of(entry, "decision");
  out.decision_date = text_of(entry, "decision_date");
  out.destination = text_of(entry, "destination");
  out.end_user_type = text_of(entry, "end_user_type");
  out.category = text_of(entry, "item_category");
  out.control_entries = joined(entry, "control_entries");
  out.exporter = text_of(entry, "exporter");
  out.value_band = text_of(entry, "value_band");
  out.corrects = text_of(entry, "corrects");
  out.description = text_of(entry, "item_description");
  out.destination_name = text_of(entry, "destination_name");
  return out;
}

std::string value_band(std::int64_t minor_units, int minor_digits, const std::string& currency) {
  if (minor_units < 0) return "unknown " + currency;
  std::int64_t whole = minor_units;
  for (int i = 0; i < minor_digits; ++i) whole /= 10;
  static constexpr std::pair<std::int64_t, const char*> kBands[] = {{100'000, "under 100k"},
                                                                    {1'000'000, "100k-1M"},
                                                                    {10'000'000, "1M-10M"},
                                                                    {100'000'000, "10M-100M"},
                                                                    {INT64_MAX, "100M or more"}};
  for (const auto& [limit, label] : kBands) {
    if (whole < limit) return std::string(label) + " " + currency;
  }
  return "100M or more " + currency;
}

Result<void> queue_entry(store::Connection& c, const nlohmann::json& entry, Timestamp decided_at) {
  const std::string bytes = CANDOR_TRY(candor::json::canonical(entry));
  const std::string entry_id = text_of(entry, "entry_id");
  if (entry_id.empty()) return Error::invalid_argument("a register entry needs an entry_id");
  const auto days = CANDOR_TRY(delay_days(c));
  const auto after =
      CANDOR_TRY(Timestamp::from_unix_micros(decided_at.unix_micros() + days * 86400 * 1'000'000));
  auto taken = CANDOR_TRY(c.query("SELECT 1 FROM register_queue WHERE entry_id = $1", {entry_id}));
  if (!taken.empty()) return Error::conflict("entry " + entry_id + " is already queued");
  CANDOR_TRY(c.execute(
      "INSERT INTO register_queue (entry_id, leaf_input, publish_after) VALUES ($1, $2, $3)",
      {entry_id, bytes, after.to_rfc3339()}));
  return {};
}

Result<std::size_t> publish_due(store::Database& db, Log& log, Timestamp now) {
  return db.transact<std::size_t>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<std::size_t> {
        // Before reading the queue: a second server publishing at the same moment then finds
        // the entries already published instead of appending them again.
        CANDOR_TRY(log.take_turn(c));
        auto rows = CANDOR_TRY(
            c.query("SELECT id, leaf_input FROM register_queue WHERE published_idx IS NULL AND "
                    "publish_after <= $1 ORDER BY publish_after, id",
                    {now.to_rfc3339()}));
        if (rows.empty()) return std::size_t{0};
        std::vector<NewEntry> entries;
        std::vector<std::int64_t> ids;
        entries.reserve(rows.size());
        for (const auto& row : rows) {
          ids.push_back(CANDOR_TRY(row.get<std::int64_t>(0)));
          std::string bytes = CANDOR_TRY(row.get<std::string>(1));
          const auto entry = parse_entry(bytes);
          entries.push_back(columns_of(entry, std::move(bytes)));
        }
        const std::uint64_t first = CANDOR_TRY(log.append(c, entries));
        for (std::size_t i = 0; i < ids.size(); ++i) {
          CANDOR_TRY(c.execute("UPDATE register_queue SET published_idx = $1 WHERE id = $2",
                               {static_cast<std::int64_t>(first + i), ids[i]}));
        }
        return entries.size();
      });
}

}  // namespace candor::reg

namespace candor::reg {

Result<nlohmann::json> correction_of(
    const nlohmann::json& old, const std::vector<std::pair<std::string, std::string>>& changes,
    const std::string& reason, const std::string& date, int number) {
  static const std::set<std::string> kText = {
      "decision",      "decision_date",    "licence_type", "licence_number",
      "item_category", "item_description", "destination",  "destination_name",
      "end_user_type", "value_band",       "exporter"};
  static const std::set<std::string> kLists = {"control_entries", "criteria"};
  if (!old.is_object() || !old.contains("entry_id") || !old["entry_id"].is_string()) {
    return Error::invalid_argument("the entry to correct is not a register entry");
  }
  if (reason.empty()) return Error::invalid_argument("a correction needs a reason");
  if (changes.empty()) return Error::invalid_argument("a correction needs at least one change");
  nlohmann::json out = old;
  for (const auto& [field, value] : changes) {
    if (kText.contains(field)) {
      if (value.empty()) {
        out.erase(field);
      } else {
        out[field] = value;
      }
    } else if (kLists.contains(field)) {
      nlohmann::json list = nlohmann::json::array();
      std::size_t start = 0;
      while (start <= value.size() && !value.empty()) {
        const std::size_t comma = value.find(',', start);
        std::string item =
            value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        while (!item.empty() && item.front() == ' ') item.erase(item.begin());
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) list.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      out[field] = list;
    } else {
      return Error::invalid_argument(
          field +
          ": not a field a correction may change (entry_id, schema, authority and "
          "corrects never change; see docs/register.md)");
    }
  }
  out.erase("correction");
  nlohmann::json compared = old;
  compared.erase("correction");
  compared.erase("corrects");
  compared.erase("entry_id");
  nlohmann::json changed = out;
  changed.erase("corrects");
  changed.erase("entry_id");
  if (changed == compared) return Error::invalid_argument("the changes change nothing");
  std::string base = old["entry_id"].get<std::string>();
  if (const auto at = base.rfind("-c"); at != std::string::npos && old.contains("corrects")) {
    base = base.substr(0, at);
  }
  out["entry_id"] = base + "-c" + std::to_string(number);
  out["corrects"] = old["entry_id"];
  out["correction"] = {{"reason", reason}, {"date", date}};
  return out;
}

}  // namespace candor::reg
