#include "register/mirror.h"

#include <algorithm>
#include <bit>

#include "register/fields.h"
#include "register/note.h"
#include "register/publish.h"

namespace candor::reg {
namespace {

using nlohmann::json;

constexpr std::uint64_t kSlice = 1000;

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  return std::string(text);
}

struct PeerRow {
  std::int64_t id = 0;
  std::string key;
  std::uint64_t size = 0;
  std::string checkpoint;
  std::string frontier;
  std::string member_state;
  bool flagged = false;
};

}  // namespace

void Frontier::append(const Hash& leaf) {
  Hash carry = leaf;
  for (std::uint64_t n = size_; (n & 1) != 0; n >>= 1) {
    carry = node_hash(nodes_.back(), carry);
    nodes_.pop_back();
  }
  nodes_.push_back(carry);
  ++size_;
}

Hash Frontier::root() const {
  if (nodes_.empty()) return empty_root();
  Hash h = nodes_.back();
  for (std::size_t i = nodes_.size() - 1; i-- > 0;) h = node_hash(nodes_[i], h);
  return h;
}

std::string Frontier::to_text() const {
  std::string bytes;
  for (const auto& node : nodes_) bytes += to_bytes(node);
  return std::to_string(size_) + ":" + base64(bytes);
}

Result<Frontier> Frontier::parse(std::string_view text) {
  Frontier out;
  if (text.empty()) return out;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 20) {
    return Error::invalid_argument("frontier: no size");
  }
  std::uint64_t size = 0;
  for (const char ch : text.substr(0, colon)) {
    if (ch < '0' || ch > '9') return Error::invalid_argument("frontier: the size is not a number");
    size = size * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  const std::string bytes = CANDOR_TRY(from_base64(text.substr(colon + 1)));
  if (bytes.size() != 32 * static_cast<std::size_t>(std::popcount(size))) {
    return Error::invalid_argument("frontier: the hashes do not fit the size");
  }
  out.size_ = size;
  for (std::size_t i = 0; i < bytes.size(); i += 32) {
    out.nodes_.push_back(CANDOR_TRY(hash_from_bytes(std::string_view(bytes).substr(i, 32))));
  }
  return out;
}

Mirror::Mirror(store::Database& db, const Clock& clock, Log& log)
    : db_(db), clock_(clock), log_(log) {}

Result<void> Mirror::add(const std::string& url) {
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        CANDOR_TRY(c.execute(
            "INSERT INTO mirror_peers (url, first_seen_at) VALUES ($1, $2) ON CONFLICT (url) DO "
            "NOTHING",
            {url, clock_.now().to_rfc3339()}));
        return {};
      });
}

Result<MirrorRound> Mirror::sync(const std::string& url, Remote& remote,
                                 std::uint64_t max_entries) {
  MirrorRound round;
  PeerRow peer;
  {
    auto lease = CANDOR_TRY(db_.acquire());
    auto rows = CANDOR_TRY(lease->query(
        "SELECT id, key, size, checkpoint, frontier, member_state, flagged FROM mirror_peers "
        "WHERE url = $1",
        {url}));
    if (rows.empty()) return Error::not_found("not a mirrored register: " + url);
    const auto& r = rows[0];
    peer = {CANDOR_TRY(r.get<std::int64_t>(0)),
            CANDOR_TRY(r.get<std::string>(1)),
            static_cast<std::uint64_t>(CANDOR_TRY(r.get<std::int64_t>(2))),
            CANDOR_TRY(r.get<std::string>(3)),
            CANDOR_TRY(r.get<std::string>(4)),
            CANDOR_TRY(r.get<std::string>(5)),
            CANDOR_TRY(r.get<std::int64_t>(6)) != 0};
  }
  round.mirrored = peer.size;
  if (peer.flagged) {
    round.flagged = true;
    return round;
  }
  const std::string now = clock_.now().to_rfc3339();
  const auto problem = [&](std::string why) -> Result<MirrorRound> {
    CANDOR_TRY(db_.transact<void>(
        store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
          CANDOR_TRY(
              c.execute("UPDATE mirror_peers SET last_error = $1, checked_at = $2 WHERE id = $3",
                        {why, now, peer.id}));
          return {};
        }));
    round.problem = std::move(why);
    return round;
  };
  const auto flag = [&](const std::string& kind, const std::string& detail,
                        const std::string& later) -> Result<MirrorRound> {
    CANDOR_TRY(db_.transact<void>(
        store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
          CANDOR_TRY(
              c.execute("INSERT INTO mirror_flags (peer_id, kind, detail, earlier_checkpoint, "
                        "later_checkpoint, detected_at) VALUES ($1, $2, $3, $4, $5, $6)",
                        {peer.id, kind, detail, peer.checkpoint, later, now}));
          CANDOR_TRY(c.execute(
              "UPDATE mirror_peers SET flagged = 1, last_error = $1, checked_at = $2 WHERE id = "
              "$3",
              {detail, now, peer.id}));
          return {};
        }));
    round.flagged = true;
    round.problem = detail;
    return round;
  };

  // The key: pinned on first contact, as SSH does; afterwards only the pinned one counts.
  std::string key_text = peer.key;
  if (key_text.empty()) {
    auto fetched = remote.get("/register/key");
    if (!fetched.ok()) return problem(fetched.error().message());
    key_text = trimmed(*fetched);
  }
  auto key = VerifierKey::parse(key_text);
  if (!key.ok()) return problem("the register's key is not valid: " + key.error().message());

  auto note = remote.get("/register/checkpoint");
  if (!note.ok()) return problem(note.error().message());
  auto text = open_note(*note, *key);
  if (!text.ok()) {
    return problem("the checkpoint is not signed by the register's key " + key->name + ": " +
                   text.error().message());
  }
  auto checkpoint = Checkpoint::parse(*text);
  if (!checkpoint.ok())
    return problem("the checkpoint is malformed: " + checkpoint.error().message());
  if (checkpoint->origin != key->name) {
    return problem("the checkpoint's origin is not the key's name " + key->name);
  }
  round.verified_size = checkpoint->size;

  // The new checkpoint against the one verified before.
  if (!peer.checkpoint.empty()) {
    auto old_text = open_note(peer.checkpoint, *key);
    if (!old_text.ok()) return Error::data_loss("the stored checkpoint of " + url + " is damaged");
    const auto old = CANDOR_TRY(Checkpoint::parse(*old_text));
    const std::string sizes =
        std::to_string(old.size) + " and " + std::to_string(checkpoint->size) + " entries";
    if (checkpoint->size < old.size) {
      return flag("shrank",
                  "the register shrank: it signed " + std::to_string(old.size) +
                      " entries before and " + std::to_string(checkpoint->size) + " now",
                  *note);
    }
    if (checkpoint->size == old.size && checkpoint->root != old.root) {
      return flag("rewritten",
                  "the register was rewritten: two signed checkpoints of " +
                      std::to_string(old.size) + " entries with different roots",
                  *note);
    }
    if (checkpoint->size > old.size && old.size > 0) {
      auto body = remote.get("/register/proof/consistency?first=" + std::to_string(old.size) +
                             "&second=" + std::to_string(checkpoint->size));
      if (!body.ok()) return problem(body.error().message());
      auto path = parse_proof(*body, "consistency_path",
                              {{"first", old.size}, {"second", checkpoint->size}});
      if (!path.ok()) return problem(path.error().message());
      auto consistent = verify_consistency(old.size, checkpoint->size, *path, to_bytes(old.root),
                                           to_bytes(checkpoint->root));
      if (!consistent.ok()) {
        return flag("inconsistent",
                    "the register is not consistent with what it showed before: its proof "
                    "between the signed checkpoints of " +
                        sizes + " fails (" + consistent.error().message() + ")",
                    *note);
      }
    }
  }

  // Entries, a slice at a time, each slice proved part of the signed tree before it is kept.
  Frontier frontier = CANDOR_TRY(Frontier::parse(peer.frontier));
  if (frontier.size() != peer.size) {
    return Error::data_loss("the stored tree edge of " + url + " does not match its size");
  }
  std::uint64_t appended = 0;
  while (frontier.size() < checkpoint->size && appended < max_entries) {
    const std::uint64_t start = frontier.size();
    const std::uint64_t end = std::min(checkpoint->size, start + kSlice);
    auto body = remote.get("/register/entries?start=" + std::to_string(start) +
                           "&end=" + std::to_string(end));
    if (!body.ok()) return problem(body.error().message());
    auto served = parse_entries(*body);
    if (!served.ok()) return problem(served.error().message());
    if (served->empty())
      return problem("the register served no entries from " + std::to_string(start));
    Frontier next = frontier;
    std::vector<NewEntry> entries;
    entries.reserve(served->size());
    for (auto& [index, leaf] : *served) {
      if (index != next.size() || index >= end) {
        return problem("entries: expected index " + std::to_string(next.size()) + ", got " +
                       std::to_string(index));
      }
      next.append(leaf_hash(leaf));
      // Checked as every reader here will read it, the search index's scanner and the pages'
      // parser, within the same limits: an entry either can read would break the register
      // for good once appended, so such a register is flagged instead.
      auto parsed = parse_entry(leaf);
      auto scanned = fields_of(leaf);
      if (parsed.is_discarded() || !parsed.is_object() || !scanned.ok()) {
        return flag("unreadable_entry",
                    "entry " + std::to_string(index) +
                        " is not a register entry Candor can read (JSON object with an entry_id, "
                        "at most " +
                        std::to_string(kMaxEntryDepth) + " levels deep and " +
                        std::to_string(kMaxEntryBytes / 1024) + " KB)",
                    *note);
      }
      entries.push_back(columns_of(parsed, std::move(leaf)));
    }
    const Hash edge_root = next.root();
    if (next.size() < checkpoint->size) {
      auto proof = remote.get("/register/proof/consistency?first=" + std::to_string(next.size()) +
                              "&second=" + std::to_string(checkpoint->size));
      if (!proof.ok()) return problem(proof.error().message());
      auto path = parse_proof(*proof, "consistency_path",
                              {{"first", next.size()}, {"second", checkpoint->size}});
      if (!path.ok()) return problem(path.error().message());
      if (!verify_consistency(next.size(), checkpoint->size, *path, to_bytes(edge_root),
                              to_bytes(checkpoint->root))
               .ok()) {
        return flag("entries_not_in_tree",
                    "the entries served up to " + std::to_string(next.size()) +
                        " are not a prefix of the tree its checkpoint of " +
                        std::to_string(checkpoint->size) + " entries signs",
                    *note);
      }
    } else if (edge_root != checkpoint->root) {
      return flag("entries_not_in_tree",
                  "the " + std::to_string(next.size()) +
                      " entries served do not hash to the root its checkpoint signs",
                  *note);
    }
    const std::string member_state = peer.member_state.empty() && !entries.empty()
                                         ? entries.front().authority
                                         : peer.member_state;
    auto stored = db_.transact<void>(
        store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
          const std::uint64_t first = CANDOR_TRY(log_.append(c, entries));
          for (std::size_t i = 0; i < entries.size(); ++i) {
            CANDOR_TRY(c.execute(
                "INSERT INTO mirror_entries (local_idx, peer_id, peer_idx) VALUES ($1, $2, $3)",
                {static_cast<std::int64_t>(first + i), peer.id,
                 static_cast<std::int64_t>(start + i)}));
          }
          CANDOR_TRY(c.execute(
              "UPDATE mirror_peers SET key = $1, size = $2, frontier = $3, checkpoint = $4, "
              "member_state = $5, verified_at = $6, checked_at = $6, last_error = '' WHERE id = "
              "$7",
              {key_text, static_cast<std::int64_t>(next.size()), next.to_text(), *note,
               member_state, now, peer.id}));
          return {};
        });
    if (!stored.ok()) {
      if (stored.error().kind() == ErrorKind::conflict) {
        return flag("duplicate_entry",
                    "an entry id it serves is already in the register from elsewhere: " +
                        stored.error().message(),
                    *note);
      }
      return stored.error();
    }
    peer.checkpoint = *note;
    peer.member_state = member_state;
    frontier = next;
    appended += entries.size();
  }
  round.appended = appended;
  round.mirrored = frontier.size();
  if (appended == 0) {
    // Nothing new to append: the checkpoint verified is still recorded.
    CANDOR_TRY(db_.transact<void>(
        store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
          CANDOR_TRY(c.execute(
              "UPDATE mirror_peers SET key = $1, checkpoint = $2, verified_at = $3, checked_at = "
              "$3, last_error = '' WHERE id = $4",
              {key_text, *note, now, peer.id}));
          return {};
        }));
  }
  return round;
}

Result<json> Mirror::status() {
  auto lease = CANDOR_TRY(db_.acquire());
  auto& c = *lease;
  json out = json::array();
  auto rows = CANDOR_TRY(
      c.query("SELECT id, url, key, member_state, size, checkpoint, first_seen_at, checked_at, "
              "verified_at, last_error, flagged FROM mirror_peers ORDER BY member_state, url"));
  for (const auto& r : rows) {
    const auto id = CANDOR_TRY(r.get<std::int64_t>(0));
    const std::string key_text = CANDOR_TRY(r.get<std::string>(2));
    const std::string note = CANDOR_TRY(r.get<std::string>(5));
    json peer = {{"url", CANDOR_TRY(r.get<std::string>(1))},
                 {"key", key_text},
                 {"member_state", CANDOR_TRY(r.get<std::string>(3))},
                 {"mirrored", CANDOR_TRY(r.get<std::int64_t>(4))},
                 {"checkpoint", note},
                 {"first_seen_at", CANDOR_TRY(r.get<std::string>(6))},
                 {"checked_at", CANDOR_TRY(r.get<std::string>(7))},
                 {"verified_at", CANDOR_TRY(r.get<std::string>(8))},
                 {"last_error", CANDOR_TRY(r.get<std::string>(9))},
                 {"flagged", CANDOR_TRY(r.get<std::int64_t>(10)) != 0}};
    std::uint64_t verified = 0;
    if (auto key = VerifierKey::parse(key_text); key.ok() && !note.empty()) {
      if (auto opened = open_note(note, *key); opened.ok()) {
        if (auto cp = Checkpoint::parse(*opened); cp.ok()) verified = cp->size;
      }
    }
    peer["verified_size"] = verified;
    json flags = json::array();
    for (const auto& f : CANDOR_TRY(
             c.query("SELECT kind, detail, earlier_checkpoint, later_checkpoint, detected_at FROM "
                     "mirror_flags WHERE peer_id = $1 ORDER BY id",
                     {id}))) {
      flags.push_back({{"kind", CANDOR_TRY(f.get<std::string>(0))},
                       {"detail", CANDOR_TRY(f.get<std::string>(1))},
                       {"earlier_checkpoint", CANDOR_TRY(f.get<std::string>(2))},
                       {"later_checkpoint", CANDOR_TRY(f.get<std::string>(3))},
                       {"detected_at", CANDOR_TRY(f.get<std::string>(4))}});
    }
    peer["flags"] = std::move(flags);
    out.push_back(std::move(peer));
  }
  return out;
}

Result<json> Mirror::origin_of(std::uint64_t local_index) {
  auto lease = CANDOR_TRY(db_.acquire());
  auto rows = CANDOR_TRY(lease->query(
      "SELECT p.url, m.peer_idx, p.member_state FROM mirror_entries m JOIN mirror_peers p ON "
      "p.id = m.peer_id WHERE m.local_idx = $1",
      {static_cast<std::int64_t>(local_index)}));
  if (rows.empty()) return json(nullptr);
  return json{{"url", CANDOR_TRY(rows[0].get<std::string>(0))},
              {"index", CANDOR_TRY(rows[0].get<std::int64_t>(1))},
              {"member_state", CANDOR_TRY(rows[0].get<std::string>(2))}};
}

}  // namespace candor::reg
