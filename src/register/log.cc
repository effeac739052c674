#include "register/log.h"

#include <bit>
#include <compare>
#include <future>
#include <map>
#include <string_view>
#include <thread>

namespace candor::reg {
namespace {

store::Blob blob_of(const Hash& hash) { return store::Blob{{hash.begin(), hash.end()}}; }

Result<Hash> hash_of(const store::Row& row, std::size_t column) {
  const auto blob = CANDOR_TRY(row.get<store::Blob>(column));
  if (blob.bytes.size() != 32) return Error::data_loss("a stored hash is not 32 bytes");
  Hash out{};
  std::copy(blob.bytes.begin(), blob.bytes.end(), out.begin());
  return out;
}

// Subtrees of fewer than 2^kFirstStoredLevel leaves are not stored but hashed from their
// leaves when a proof needs them (at most eight entries, read in one range): a node row per
// entry cost a third of a bulk import's time. Logs written before kept their lower levels;
// those rows are no longer read.
constexpr std::uint64_t kFirstStoredLevel = 4;

// Perfect-subtree hashes: stored from kFirstStoredLevel up, hashed from the entries below.
Result<Hash> stored_node(store::Connection& c, std::uint64_t level, std::uint64_t index) {
  const auto missing = [&] {
    return Error::data_loss("the register lacks the hash of subtree (" + std::to_string(level) +
                            ", " + std::to_string(index) + ")");
  };
  if (level < kFirstStoredLevel) {
    const std::uint64_t width = std::uint64_t{1} << level;
    auto rows = CANDOR_TRY(
        c.query("SELECT leaf_input FROM register_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx",
                {static_cast<std::int64_t>(index * width),
                 static_cast<std::int64_t>((index + 1) * width)}));
    if (rows.size() != width) return missing();
    std::vector<Hash> hashes;
    hashes.reserve(rows.size());
    for (const auto& row : rows) {
      const auto leaf = CANDOR_TRY(row.get<store::Blob>(0));
      hashes.push_back(leaf_hash(
          std::string_view(reinterpret_cast<const char*>(leaf.bytes.data()), leaf.bytes.size())));
    }
    while (hashes.size() > 1) {
      for (std::size_t i = 0; i < hashes.size() / 2; ++i) {
        hashes[i] = node_hash(hashes[2 * i], hashes[2 * i + 1]);
      }
      hashes.resize(hashes.size() / 2);
    }
    return hashes[0];
  }
  auto rows =
      CANDOR_TRY(c.query("SELECT hash FROM register_nodes WHERE level = $1 AND idx = $2",
                         {static_cast<std::int64_t>(level), static_cast<std::int64_t>(index)}));
  if (rows.empty()) return missing();
  return hash_of(rows[0], 0);
}

class StoredSource final : public HashSource {
 public:
  explicit StoredSource(store::Connection& c) : c_(c) {}
  Result<Hash> range_hash(std::uint64_t begin, std::uint64_t end) override {
    const std::uint64_t n = end - begin;
    if (std::has_single_bit(n) && begin % n == 0) {
      const auto level = static_cast<std::uint64_t>(std::countr_zero(n));
      const auto key = std::make_pair(level, begin / n);
      if (const auto it = memo_.find(key); it != memo_.end()) return it->second;
      const Hash hash = CANDOR_TRY(stored_node(c_, level, begin / n));
      memo_.emplace(key, hash);
      return hash;
    }
    const std::uint64_t k = split_point(n);
    return node_hash(CANDOR_TRY(range_hash(begin, begin + k)),
                     CANDOR_TRY(range_hash(begin + k, end)));
  }

 private:
  store::Connection& c_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Hash> memo_;
};

constexpr std::size_t kLargeBatch = 10'000;

// SHA-256 of every leaf, on a second thread for the second half of a large batch: hashing a
// million entries is a second of one core.
std::vector<Hash> leaf_hashes(const std::vector<NewEntry>& entries) {
  std::vector<Hash> out(entries.size());
  const auto hash_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = leaf_hash(entries[i].leaf_input);
  };
  if (entries.size() < kLargeBatch) {
    hash_range(0, entries.size());
    return out;
  }
  const std::size_t half = entries.size() / 2;
  std::thread second(hash_range, half, entries.size());
  hash_range(0, half);
  second.join();
  return out;
}

Result<std::uint64_t> size_in(store::Connection& c) {
  auto rows = CANDOR_TRY(c.query("SELECT COALESCE(MAX(idx) + 1, 0) FROM register_entries"));
  return static_cast<std::uint64_t>(CANDOR_TRY(rows.at(0).get<std::int64_t>(0)));
}

}  // namespace

Result<std::string> published_at(store::Connection& c, std::uint64_t index) {
  auto rows = CANDOR_TRY(c.query(
      "SELECT published_at FROM register_batches WHERE first_idx <= $1 ORDER BY first_idx DESC "
      "LIMIT 1",
      {static_cast<std::int64_t>(index)}));
  if (rows.empty()) return Error::not_found("no batch holds entry " + std::to_string(index));
  return rows[0].get<std::string>(0);
}

Result<void> Log::take_turn(store::Connection& c) {
  // Appends take turns in the database, whichever process makes them: SQLite's write
  // transaction is exclusive already; on PostgreSQL a lock held until the transaction ends
  // (taking it again in the same transaction is free).
  if (db_.backend() == store::Backend::postgresql) {
    CANDOR_TRY(c.execute_script("SELECT pg_advisory_xact_lock(7311002101)"));
  }
  return {};
}

Result<std::uint64_t> Log::append(store::Connection& c, const std::vector<NewEntry>& entries) {
  CANDOR_TRY(take_turn(c));
  const std::uint64_t first = CANDOR_TRY(size_in(c));
  if (entries.empty()) return first;
  CANDOR_TRY(c.execute("INSERT INTO register_batches (first_idx, published_at) VALUES ($1, $2)",
                       {static_cast<std::int64_t>(first), clock_.now().to_rfc3339()}));
  const std::vector<Hash> leaves = leaf_hashes(entries);
  // The newest node at each level: the left sibling the next node on that level pairs with.
  std::vector<std::optional<Hash>> frontier;
  std::uint64_t index = first;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const NewEntry& entry = entries[i];
    Hash hash = leaves[i];
    if (!entry.corrects.empty()) {
      auto old =
          CANDOR_TRY(c.query("SELECT 1 FROM register_entries WHERE entry_id = $1 AND idx < $2",
                             {entry.corrects, static_cast<std::int64_t>(index)}));
      if (old.empty()) {
        return Error::invalid_argument("entry " + entry.entry_id + " corrects " + entry.corrects +
                                       ", which is not in the register");
      }
    }
    auto inserted = c.execute(
        "INSERT INTO register_entries (idx, entry_id, leaf_input, corrects) VALUES ($1, $2, $3, "
        "$4)",
        {static_cast<std::int64_t>(index), entry.entry_id,
         store::Blob{{entry.leaf_input.begin(), entry.leaf_input.end()}}, entry.corrects});
    if (!inserted.ok()) {
      if (inserted.error().kind() == ErrorKind::conflict) {
        return Error::conflict("entry " + entry.entry_id + " is already in the register");
      }
      return std::move(inserted).error();
    }
    std::uint64_t level = 0;
    std::uint64_t position = index;
    while (true) {
      if (frontier.size() <= level) frontier.resize(level + 1);
      if ((position & 1) == 0) {
        frontier[level] = hash;
        break;
      }
      const Hash left =
          frontier[level] ? *frontier[level] : CANDOR_TRY(stored_node(c, level, position - 1));
      hash = node_hash(left, hash);
      frontier[level] = std::nullopt;
      ++level;
      position >>= 1;
      if (level < kFirstStoredLevel) continue;
      CANDOR_TRY(c.execute(
          "INSERT INTO register_nodes (level, idx, hash) VALUES ($1, $2, $3)",
          {static_cast<std::int64_t>(level), static_cast<std::int64_t>(position), blob_of(hash)}));
    }
    ++index;
  }
  return first;
}

Result<std::uint64_t> Log::append(const std::vector<NewEntry>& entries) {
  return in_transaction(entries.size(), [&](store::Connection& c) { return append(c, entries); });
}

Result<std::uint64_t> Log::append_built(std::size_t count, const Build& build) {
  // Small enough that the first slice is ready soon, large enough to hash on two threads.
  constexpr std::size_t kSlice = 32'768;
  return in_transaction(count, [&](store::Connection& c) -> Result<std::uint64_t> {
    const std::uint64_t first = CANDOR_TRY(size_in(c));
    const auto slice = [&](std::size_t begin) {
      return std::async(std::launch::async, build, begin, std::min(count, begin + kSlice));
    };
    // A pending slice's future waits for its thread when it goes out of scope, also on an
    // early return.
    std::future<Result<std::vector<NewEntry>>> next;
    if (count > 0) next = slice(0);
    for (std::size_t begin = 0; begin < count; begin += kSlice) {
      auto entries = next.get();
      if (begin + kSlice < count) next = slice(begin + kSlice);
      if (!entries.ok()) return std::move(entries).error();
      CANDOR_TRY(append(c, *entries));
    }
    return first;
  });
}

Result<std::uint64_t> Log::in_transaction(
    std::size_t count, const std::function<Result<std::uint64_t>(store::Connection&)>& write) {
  const bool large = count >= kLargeBatch && db_.backend() == store::Backend::sqlite;
  auto lease = CANDOR_TRY(db_.acquire());
  // A large batch touches pages of the entry id's index all over the file: with SQLite's
  // default 2 MB cache they are written out and read back many times before the commit.
  if (large) CANDOR_TRY(lease->execute_script("PRAGMA cache_size = -262144"));
  auto appended = [&]() -> Result<std::uint64_t> {
    auto transaction = CANDOR_TRY(store::Transaction::begin(*lease, store::TransactionMode::write));
    const auto first = CANDOR_TRY(write(*lease));
    CANDOR_TRY(transaction.commit());
    return first;
  }();
  if (large) CANDOR_TRY(lease->execute_script("PRAGMA cache_size = -2000"));
  return appended;
}

Result<std::uint64_t> Log::size() {
  auto lease = CANDOR_TRY(db_.acquire());
  return size_in(*lease);
}

Result<Hash> Log::root(std::uint64_t size) {
  if (size == 0) return empty_root();
  auto lease = CANDOR_TRY(db_.acquire());
  if (size > CANDOR_TRY(size_in(*lease))) {
    return Error::invalid_argument("the register has fewer than " + std::to_string(size) +
                                   " entries");
  }
  StoredSource source(*lease);
  return source.range_hash(0, size);
}

Result<std::vector<Hash>> Log::inclusion_proof(std::uint64_t index, std::uint64_t size) {
  auto lease = CANDOR_TRY(db_.acquire());
  if (size > CANDOR_TRY(size_in(*lease))) {
    return Error::invalid_argument("tree_size is larger than the register");
  }
  StoredSource source(*lease);
  return inclusion_path(index, size, source);
}

Result<std::vector<Hash>> Log::consistency_proof(std::uint64_t first, std::uint64_t second) {
  auto lease = CANDOR_TRY(db_.acquire());
  if (second > CANDOR_TRY(size_in(*lease))) {
    return Error::invalid_argument("second is larger than the register");
  }
  StoredSource source(*lease);
  return consistency_path(first, second, source);
}

Result<std::vector<Log::StoredEntry>> Log::entries(std::uint64_t start, std::uint64_t end,
                                                   std::uint64_t limit) {
  auto lease = CANDOR_TRY(db_.acquire());
  auto rows = CANDOR_TRY(lease->query(
      "SELECT idx, leaf_input FROM register_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx "
      "LIMIT $3",
      {static_cast<std::int64_t>(start), static_cast<std::int64_t>(end),
       static_cast<std::int64_t>(limit)}));
  std::vector<StoredEntry> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    const auto blob = CANDOR_TRY(row.get<store::Blob>(1));
    out.push_back({static_cast<std::uint64_t>(CANDOR_TRY(row.get<std::int64_t>(0))),
                   std::string(blob.bytes.begin(), blob.bytes.end())});
  }
  return out;
}

Result<std::string> Log::sign_checkpoint(const SignerKey& key, const std::string& origin) {
  const std::string now = clock_.now().to_rfc3339();
  return db_.transact<
      std::string>(store::TransactionMode::write, [&](store::Connection& c) -> Result<std::string> {
    const std::uint64_t size = CANDOR_TRY(size_in(c));
    StoredSource source(c);
    const Hash root = size == 0 ? empty_root() : CANDOR_TRY(source.range_hash(0, size));
    const std::string note = CANDOR_TRY(sign_note(Checkpoint{origin, size, root}.to_text(), key));
    CANDOR_TRY(c.execute(
        "INSERT INTO register_checkpoints (size, root, note, signed_at) VALUES ($1, $2, $3, "
        "$4) ON CONFLICT (size) DO NOTHING",
        {static_cast<std::int64_t>(size), blob_of(root), note, now}));
    auto rows = CANDOR_TRY(c.query("SELECT note FROM register_checkpoints WHERE size = $1",
                                   {static_cast<std::int64_t>(size)}));
    return rows.at(0).get<std::string>(0);
  });
}

Result<std::optional<std::string>> Log::latest_checkpoint() {
  auto lease = CANDOR_TRY(db_.acquire());
  auto rows =
      CANDOR_TRY(lease->query("SELECT note FROM register_checkpoints ORDER BY size DESC LIMIT 1"));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(CANDOR_TRY(rows[0].get<std::string>(0)));
}

}  // namespace candor::reg
