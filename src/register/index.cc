#include "register/index.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <tuple>

#include "register/fields.h"

namespace candor::reg {
namespace {

constexpr std::size_t kLoadChunk = 50'000;

std::int64_t year_of(std::string_view date) {
  std::int64_t year = 0;
  if (date.size() < 4) return 0;
  for (char ch : date.substr(0, 4)) {
    if (ch < '0' || ch > '9') return 0;
    year = year * 10 + (ch - '0');
  }
  return year;
}

std::string text_of(const store::Blob& blob) {
  return {reinterpret_cast<const char*>(blob.bytes.data()), blob.bytes.size()};
}

}  // namespace

std::uint32_t Index::Column::add(std::string_view value, std::uint32_t entry) {
  auto it = ids.find(std::string(value));
  if (it == ids.end()) {
    it = ids.emplace(std::string(value), static_cast<std::uint32_t>(names.size())).first;
    names.emplace_back(value);
    postings.emplace_back();
  }
  auto& posting = postings[it->second];
  if (posting.empty() || posting.back() != entry) posting.push_back(entry);
  return it->second;
}

std::optional<std::uint32_t> Index::Column::find(std::string_view value) const {
  const auto it = ids.find(std::string(value));
  if (it == ids.end()) return std::nullopt;
  return it->second;
}

// What a query asks of each entry, resolved to value ids once.
struct Index::Plan {
  bool impossible = false;
  std::vector<std::pair<Field, std::uint32_t>> equal;
  std::optional<std::uint32_t> control;
  // By exporter id: whether the name starts with the query's prefix (empty: no such filter).
  std::vector<bool> exporter;
  // The entries to walk (in index order), or null for all of them.
  const std::vector<std::uint32_t>* driver = nullptr;
  std::vector<std::uint32_t> merged;  // The driver, when several postings make it.
};

Index::Plan Index::plan(const Query& q) const {
  Plan p;
  const auto equal = [&](Field field, const std::string& value) {
    if (value.empty()) return;
    const auto id = columns_[field].find(value);
    if (!id) {
      p.impossible = true;
      return;
    }
    p.equal.emplace_back(field, *id);
    const auto& posting = columns_[field].postings[*id];
    if (p.driver == nullptr || posting.size() < p.driver->size()) p.driver = &posting;
  };
  equal(kDestination, q.destination);
  equal(kAuthority, q.authority);
  equal(kDecision, q.decision);
  equal(kCategory, q.category);
  equal(kEndUser, q.end_user_type);
  if (q.year != 0) equal(kYear, std::to_string(q.year));
  if (!q.control.empty()) {
    const auto id = controls_.find(q.control);
    if (!id) {
      p.impossible = true;
    } else {
      p.control = *id;
      const auto& posting = controls_.postings[*id];
      if (p.driver == nullptr || posting.size() < p.driver->size()) p.driver = &posting;
    }
  }
  if (!q.exporter.empty()) {
    const Column& names = columns_[kExporter];
    p.exporter.assign(names.names.size(), false);
    std::size_t matched = 0;
    std::vector<std::uint32_t> ids;
    for (std::uint32_t id = 0; id < names.names.size(); ++id) {
      if (names.names[id].starts_with(q.exporter)) {
        p.exporter[id] = true;
        matched += names.postings[id].size();
        ids.push_back(id);
      }
    }
    if (ids.empty()) p.impossible = true;
    if (!p.impossible && (p.driver == nullptr || matched < p.driver->size())) {
      for (const auto id : ids) {
        p.merged.insert(p.merged.end(), names.postings[id].begin(), names.postings[id].end());
      }
      std::sort(p.merged.begin(), p.merged.end());
      p.driver = &p.merged;
    }
  }
  return p;
}

bool Index::matches(const Plan& p, std::uint32_t entry, std::uint64_t size) const {
  if (corrected_by_[entry] < size) return false;
  for (const auto& [field, id] : p.equal) {
    if (columns_[field].values[entry] != id) return false;
  }
  if (!p.exporter.empty() && !p.exporter[columns_[kExporter].values[entry]]) return false;
  if (p.control) {
    const auto begin = control_ids_.begin() + control_begin_[entry];
    const auto end = control_ids_.begin() + control_begin_[entry + 1];
    if (std::find(begin, end, *p.control) == end) return false;
  }
  return true;
}

template <typename Visit>
void Index::walk(const Plan& p, std::uint64_t below, std::uint64_t size, Visit visit) const {
  if (p.impossible) return;
  below = std::min(below, size);
  if (p.driver == nullptr) {
    for (std::uint64_t i = below; i-- > 0;) {
      const auto entry = static_cast<std::uint32_t>(i);
      if (matches(p, entry, size) && !visit(entry)) return;
    }
    return;
  }
  auto it = std::lower_bound(p.driver->begin(), p.driver->end(), below);
  while (it != p.driver->begin()) {
    const std::uint32_t entry = *--it;
    if (matches(p, entry, size) && !visit(entry)) return;
  }
}

void Index::clear() {
  size_ = 0;
  last_id_.clear();
  for (auto& column : columns_) column = Column{};
  controls_ = Column{};
  control_begin_.assign(1, 0);
  control_ids_.clear();
  corrected_by_.clear();
}

Result<void> Index::load(store::Connection& c, std::uint64_t until) {
  while (size_ < until) {
    auto rows = CANDOR_TRY(c.query(
        "SELECT idx, leaf_input FROM register_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx",
        {static_cast<std::int64_t>(size_),
         static_cast<std::int64_t>(std::min<std::uint64_t>(until, size_ + kLoadChunk))}));
    if (rows.empty()) return Error::data_loss("the register's entries are not contiguous");
    // Reading the fields is most of loading: two threads, each its own half of the chunk.
    std::vector<Result<NewEntry>> fields(rows.size(), Error::internal("not read"));
    const auto read = [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        auto blob = rows[i].get<store::Blob>(1);
        fields[i] = blob.ok() ? fields_of(text_of(*blob)) : Result<NewEntry>(blob.error());
      }
    };
    {
      std::thread second(read, rows.size() / 2, rows.size());
      read(0, rows.size() / 2);
      second.join();
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto idx = static_cast<std::uint64_t>(CANDOR_TRY(rows[i].get<std::int64_t>(0)));
      if (idx != size_)
        return Error::data_loss("the register lacks entry " + std::to_string(size_));
      const auto entry = static_cast<std::uint32_t>(idx);
      if (!fields[i].ok()) return std::move(fields[i]).error();
      const NewEntry& e = *fields[i];
      const std::string year = std::to_string(year_of(e.decision_date));
      const std::string exporter = search_key(e.exporter);
      const std::string* values[kFields] = {&e.destination, &e.authority,     &e.decision,
                                            &e.category,    &e.end_user_type, &year,
                                            &exporter};
      for (int f = 0; f < kFields; ++f) {
        columns_[f].values.push_back(columns_[f].add(*values[f], entry));
      }
      const std::string& controls = e.control_entries;
      std::size_t start = 0;
      while (start < controls.size()) {
        const std::size_t space = std::min(controls.find(' ', start), controls.size());
        if (space > start) {
          control_ids_.push_back(
              controls_.add(std::string_view(controls).substr(start, space - start), entry));
        }
        start = space + 1;
      }
      control_begin_.push_back(static_cast<std::uint32_t>(control_ids_.size()));
      corrected_by_.push_back(kNone);
      if (!e.corrects.empty()) {
        auto old =
            CANDOR_TRY(c.query("SELECT idx FROM register_entries WHERE entry_id = $1 AND idx < $2",
                               {e.corrects, static_cast<std::int64_t>(idx)}));
        if (!old.empty()) {
          const auto target = static_cast<std::size_t>(CANDOR_TRY(old[0].get<std::int64_t>(0)));
          corrected_by_[target] = std::min(corrected_by_[target], entry);
        }
      }
      last_id_ = e.entry_id;
      ++size_;
    }
  }
  return {};
}

Result<std::uint64_t> Index::refresh(store::Connection& c) {
  // The log's size and its newest entry: a different log of the same size (a database
  // restored from another backup) shows in the entry, not in the size.
  auto newest =
      CANDOR_TRY(c.query("SELECT idx, entry_id FROM register_entries ORDER BY idx DESC LIMIT 1"));
  const std::uint64_t size =
      newest.empty() ? 0
                     : static_cast<std::uint64_t>(CANDOR_TRY(newest[0].get<std::int64_t>(0))) + 1;
  const std::string newest_id = newest.empty() ? "" : CANDOR_TRY(newest[0].get<std::string>(1));
  if (size > UINT32_MAX - 1) {
    return Error(ErrorKind::resource_exhausted, "the register is too large to index");
  }
  {
    std::shared_lock lock(mutex_);
    if (size == size_ && newest_id == last_id_) return size;
  }
  std::unique_lock lock(mutex_);
  if (size == size_ && newest_id == last_id_) return size;
  bool same_log = size > size_;
  if (same_log && size_ > 0) {
    // Still the log indexed so far: the entry last read is where it was.
    auto at = CANDOR_TRY(c.query("SELECT entry_id FROM register_entries WHERE idx = $1",
                                 {static_cast<std::int64_t>(size_ - 1)}));
    same_log = !at.empty() && CANDOR_TRY(at[0].get<std::string>(0)) == last_id_;
  }
  if (!same_log) clear();
  auto loaded = load(c, size);
  if (!loaded.ok()) {
    clear();  // Read again from the start next time rather than serve half an entry.
    return std::move(loaded).error();
  }
  return size;
}

Result<Page> Index::search(store::Connection& c, const Query& query, std::uint64_t offset,
                           std::uint64_t limit, std::optional<std::uint64_t> before,
                           bool with_entry) {
  const std::uint64_t size = CANDOR_TRY(refresh(c));
  std::vector<std::uint32_t> found;
  {
    std::shared_lock lock(mutex_);
    const Plan p = plan(query);
    std::uint64_t skip = before ? 0 : offset;
    walk(p, before.value_or(size), size, [&](std::uint32_t entry) {
      if (skip > 0) {
        --skip;
        return true;
      }
      found.push_back(entry);
      return found.size() <= limit;
    });
  }
  Page page;
  page.more = found.size() > limit;
  if (page.more) found.pop_back();
  if (found.empty()) return page;
  // A fixed number of parameters (padded with an index no entry has) keeps one prepared
  // statement per page size.
  std::string sql = "SELECT idx, leaf_input FROM register_entries WHERE idx IN (";
  std::vector<store::Value> params;
  for (std::uint64_t i = 0; i < limit; ++i) {
    params.emplace_back(i < found.size() ? static_cast<std::int64_t>(found[i]) : -1);
    sql += (i == 0 ? "$" : ", $") + std::to_string(i + 1);
  }
  sql += ") ORDER BY idx DESC";
  auto rows = CANDOR_TRY(c.query(sql, params));
  if (rows.size() != found.size()) return Error::data_loss("the register lost an entry it indexed");
  page.hits.reserve(rows.size());
  // Hits come newest first, mostly several from one batch: its time is read once.
  std::uint64_t batch_first = UINT64_MAX;
  std::string batch_time;
  for (const auto& row : rows) {
    Hit hit;
    hit.index = static_cast<std::uint64_t>(CANDOR_TRY(row.get<std::int64_t>(0)));
    NewEntry e = CANDOR_TRY(fields_of(text_of(CANDOR_TRY(row.get<store::Blob>(1)))));
    if (hit.index < batch_first) {
      auto batch = CANDOR_TRY(c.query(
          "SELECT first_idx, published_at FROM register_batches WHERE first_idx <= $1 ORDER BY "
          "first_idx DESC LIMIT 1",
          {static_cast<std::int64_t>(hit.index)}));
      if (batch.empty())
        return Error::data_loss("no batch holds entry " + std::to_string(hit.index));
      batch_first = static_cast<std::uint64_t>(CANDOR_TRY(batch[0].get<std::int64_t>(0)));
      batch_time = CANDOR_TRY(batch[0].get<std::string>(1));
    }
    hit.published_at = batch_time;
    hit.entry_id = std::move(e.entry_id);
    if (with_entry) hit.leaf_input = std::move(e.leaf_input);
    hit.decision = std::move(e.decision);
    hit.decision_date = std::move(e.decision_date);
    hit.destination = std::move(e.destination);
    hit.destination_name = std::move(e.destination_name);
    hit.category = std::move(e.category);
    hit.control_entries = std::move(e.control_entries);
    hit.exporter = std::move(e.exporter);
    hit.value_band = std::move(e.value_band);
    hit.description = std::move(e.description);
    page.hits.push_back(std::move(hit));
  }
  return page;
}

Result<std::uint64_t> Index::count(store::Connection& c, const Query& query) {
  const std::uint64_t size = CANDOR_TRY(refresh(c));
  std::shared_lock lock(mutex_);
  const Plan p = plan(query);
  std::uint64_t total = 0;
  walk(p, size, size, [&](std::uint32_t) {
    ++total;
    return true;
  });
  return total;
}

Result<std::vector<Count>> Index::counts(store::Connection& c, const Query& query,
                                         std::optional<std::uint64_t> size) {
  const std::uint64_t now = CANDOR_TRY(refresh(c));
  const std::uint64_t upto = std::min(size.value_or(now), now);
  std::shared_lock lock(mutex_);
  const Plan p = plan(query);
  // Keyed by the five value ids as the digits of one number (each field's radix its number of
  // distinct values): a hash of integers, as statistics count every entry of the register.
  static constexpr Field kKey[] = {kAuthority, kYear, kDestination, kDecision, kCategory};
  std::uint64_t capacity = 1;
  for (const Field f : kKey) {
    const std::uint64_t radix = std::max<std::uint64_t>(columns_[f].names.size(), 1);
    if (capacity > UINT64_MAX / radix) {
      return Error(ErrorKind::resource_exhausted,
                   "too many distinct values in the register to count");
    }
    capacity *= radix;
  }
  std::unordered_map<std::uint64_t, std::int64_t> tally;
  walk(p, upto, upto, [&](std::uint32_t entry) {
    std::uint64_t key = 0;
    for (const Field f : kKey) key = key * columns_[f].names.size() + columns_[f].values[entry];
    ++tally[key];
    return true;
  });
  std::vector<Count> out;
  out.reserve(tally.size());
  for (const auto& [packed, entries] : tally) {
    std::uint64_t key = packed;
    std::uint32_t ids[5];
    for (int i = 4; i >= 0; --i) {
      const std::uint64_t radix = columns_[kKey[i]].names.size();
      ids[i] = static_cast<std::uint32_t>(key % radix);
      key /= radix;
    }
    out.push_back({columns_[kAuthority].names[ids[0]], std::stoll(columns_[kYear].names[ids[1]]),
                   columns_[kDestination].names[ids[2]], columns_[kDecision].names[ids[3]],
                   columns_[kCategory].names[ids[4]], entries});
  }
  std::sort(out.begin(), out.end(), [](const Count& a, const Count& b) {
    return std::tie(a.authority, a.year, a.destination, a.decision, a.category) <
           std::tie(b.authority, b.year, b.destination, b.decision, b.category);
  });
  return out;
}

}  // namespace candor::reg
