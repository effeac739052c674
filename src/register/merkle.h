// The Merkle tree of the public register, hashed as RFC 9162 (Certificate Transparency 2.0)
// says: leaf = SHA-256(0x00 || entry bytes), node = SHA-256(0x01 || left || right), the empty
// tree hashes to SHA-256(""). Proofs are built from the hashes of subtrees (HashSource) and
// checked by the verification algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2, so that
// any RFC 9162 client accepts what Candor serves.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace candor::reg {

using Hash = std::array<std::uint8_t, 32>;

Hash leaf_hash(std::string_view leaf_input);
Hash node_hash(const Hash& left, const Hash& right);
Hash empty_root();

std::string to_hex(const Hash& hash);
std::string to_bytes(const Hash& hash);
// Errors: invalid_argument unless exactly 32 bytes.
Result<Hash> hash_from_bytes(std::string_view bytes);

// The largest power of two smaller than n (n >= 2).
std::uint64_t split_point(std::uint64_t n);

// Where proofs get the hashes of the tree's ranges: MTH(D[begin:end]) as RFC 9162 defines it.
class HashSource {
 public:
  virtual ~HashSource() = default;
  // REQUIRES: begin < end <= the tree's size.
  virtual Result<Hash> range_hash(std::uint64_t begin, std::uint64_t end) = 0;
};

// PATH(index, D[0:size]). Errors: invalid_argument when index >= size.
Result<std::vector<Hash>> inclusion_path(std::uint64_t index, std::uint64_t size,
                                         HashSource& source);
// PROOF(first, D[0:second]). Errors: invalid_argument unless 0 < first <= second.
Result<std::vector<Hash>> consistency_path(std::uint64_t first, std::uint64_t second,
                                           HashSource& source);

// Verification, taking the proof as the bytes a client received (a proof element of the wrong
// length is a failed proof, not a crash). Errors: failed_precondition naming what did not hold.
Result<void> verify_inclusion(std::uint64_t index, std::uint64_t size, std::string_view leaf,
                              std::span<const std::string> proof, std::string_view root);
Result<void> verify_consistency(std::uint64_t first, std::uint64_t second,
                                std::span<const std::string> proof, std::string_view first_root,
                                std::string_view second_root);

// A whole tree in memory: the verifier's full recomputation, and the reference in tests.
// Keeps every level, so a range hash costs O(log n).
class MemoryTree final : public HashSource {
 public:
  void append_leaf_hash(const Hash& leaf);
  std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  const Hash& leaf(std::uint64_t index) const { return levels_[0][index]; }
  // MTH(D[0:size]) for any size up to size().
  Hash root(std::uint64_t size);
  Result<Hash> range_hash(std::uint64_t begin, std::uint64_t end) override;

 private:
  // levels_[l][i] is the hash of the perfect subtree of 2^l leaves starting at leaf i * 2^l.
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace candor::reg
