#include "register/check.h"

#include <algorithm>
#include <vector>

#include "register/log.h"
#include "register/note.h"

namespace candor::reg {
namespace {

// The perfect subtrees of the entries seen so far, largest first: the root at any size
// without keeping every leaf.
class Frontier {
 public:
  void add(const Hash& leaf) {
    nodes_.push_back({leaf, 1});
    while (nodes_.size() >= 2 && nodes_[nodes_.size() - 2].leaves == nodes_.back().leaves) {
      const Node right = nodes_.back();
      nodes_.pop_back();
      nodes_.back() = {node_hash(nodes_.back().hash, right.hash), right.leaves * 2};
    }
    ++size_;
  }
  std::uint64_t size() const { return size_; }
  // RFC 6962's root: the subtrees joined from the right.
  Hash root() const {
    if (nodes_.empty()) return empty_root();
    Hash hash = nodes_.back().hash;
    for (std::size_t i = nodes_.size() - 1; i-- > 0;) hash = node_hash(nodes_[i].hash, hash);
    return hash;
  }

 private:
  struct Node {
    Hash hash;
    std::uint64_t leaves;
  };
  std::vector<Node> nodes_;
  std::uint64_t size_ = 0;
};

struct StoredCheckpoint {
  std::uint64_t size;
  Hash root;
  std::string note;
};

}  // namespace

Result<LogCheck> check_stored_log(store::Database& db, const Clock& clock) {
  Log log(db, clock);
  const std::uint64_t size = CANDOR_TRY(log.size());
  std::vector<StoredCheckpoint> checkpoints;
  {
    auto lease = CANDOR_TRY(db.acquire());
    auto rows =
        CANDOR_TRY(lease->query("SELECT size, root, note FROM register_checkpoints ORDER BY size"));
    checkpoints.reserve(rows.size());
    for (const auto& row : rows) {
      const auto at = CANDOR_TRY(row.get<std::int64_t>(0));
      const auto root = CANDOR_TRY(row.get<store::Blob>(1));
      StoredCheckpoint checkpoint{
          static_cast<std::uint64_t>(at), {}, CANDOR_TRY(row.get<std::string>(2))};
      auto hash = hash_from_bytes(std::string(root.bytes.begin(), root.bytes.end()));
      if (at < 0 || !hash.ok()) {
        return Error::data_loss("the checkpoint of size " + std::to_string(at) + " is malformed");
      }
      checkpoint.root = *hash;
      checkpoints.push_back(std::move(checkpoint));
    }
  }
  // Checked at each checkpoint's size and at the end: the root recomputed from the entries,
  // the root the stored nodes give, and (at a checkpoint) the root it signed.
  const auto check_at = [&](const Frontier& frontier,
                            const StoredCheckpoint* checkpoint) -> Result<void> {
    const Hash recomputed = frontier.root();
    const std::string at = "at size " + std::to_string(frontier.size());
    if (frontier.size() > 0 && CANDOR_TRY(log.root(frontier.size())) != recomputed) {
      return Error::data_loss("the stored tree does not match the entries " + at +
                              ": a node or an entry was changed");
    }
    if (checkpoint != nullptr) {
      if (checkpoint->root != recomputed) {
        return Error::data_loss("the checkpoint signed " + at +
                                " does not match the entries: an entry was changed");
      }
      auto signed_text = Checkpoint::parse(checkpoint->note);
      if (!signed_text.ok() || signed_text->size != checkpoint->size ||
          signed_text->root != checkpoint->root) {
        return Error::data_loss("the note of the checkpoint " + at +
                                " does not say the size and root stored with it");
      }
    }
    return {};
  };
  if (!checkpoints.empty() && checkpoints.back().size > size) {
    return Error::data_loss("a checkpoint of size " + std::to_string(checkpoints.back().size) +
                            " was signed but the log holds " + std::to_string(size) +
                            " entries: entries are missing");
  }
  Frontier frontier;
  std::size_t next_checkpoint = 0;
  while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].size == 0) {
    CANDOR_TRY(check_at(frontier, &checkpoints[next_checkpoint++]));
  }
  constexpr std::uint64_t kSlice = 16384;
  for (std::uint64_t start = 0; start < size; start += kSlice) {
    const auto entries = CANDOR_TRY(log.entries(start, std::min(size, start + kSlice), kSlice));
    for (const auto& entry : entries) {
      if (entry.index != frontier.size()) {
        return Error::data_loss("entry " + std::to_string(frontier.size()) +
                                " is missing from the log");
      }
      frontier.add(leaf_hash(entry.leaf_input));
      while (next_checkpoint < checkpoints.size() &&
             checkpoints[next_checkpoint].size == frontier.size()) {
        CANDOR_TRY(check_at(frontier, &checkpoints[next_checkpoint++]));
      }
    }
    if (frontier.size() != std::min(size, start + kSlice)) {
      return Error::data_loss("entry " + std::to_string(frontier.size()) +
                              " is missing from the log");
    }
  }
  CANDOR_TRY(check_at(frontier, nullptr));
  return LogCheck{size, checkpoints.size(), frontier.root()};
}

}  // namespace candor::reg
