#include "register/merkle.h"

#include <openssl/evp.h>

#include <algorithm>
#include <bit>

namespace candor::reg {
namespace {

Hash sha256(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto part : parts) EVP_DigestUpdate(ctx, part.data(), part.size());
  Hash out{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &length);
  EVP_MD_CTX_free(ctx);
  return out;
}

std::string_view view(const Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

bool is_power_of_two(std::uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

Result<void> inclusion_recursive(std::uint64_t index, std::uint64_t begin, std::uint64_t end,
                                 HashSource& source, std::vector<Hash>& out) {
  const std::uint64_t n = end - begin;
  if (n <= 1) return {};
  const std::uint64_t k = split_point(n);
  if (index < k) {
    CANDOR_TRY(inclusion_recursive(index, begin, begin + k, source, out));
    out.push_back(CANDOR_TRY(source.range_hash(begin + k, end)));
  } else {
    CANDOR_TRY(inclusion_recursive(index - k, begin + k, end, source, out));
    out.push_back(CANDOR_TRY(source.range_hash(begin, begin + k)));
  }
  return {};
}

// SUBPROOF(m, D[begin:end], b) of RFC 9162 section 2.1.4.1.
Result<void> subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                      HashSource& source, std::vector<Hash>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(CANDOR_TRY(source.range_hash(begin, end)));
    return {};
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    CANDOR_TRY(subproof(m, begin, begin + k, whole, source, out));
    out.push_back(CANDOR_TRY(source.range_hash(begin + k, end)));
  } else {
    CANDOR_TRY(subproof(m - k, begin + k, end, false, source, out));
    out.push_back(CANDOR_TRY(source.range_hash(begin, begin + k)));
  }
  return {};
}

Result<std::vector<Hash>> parse_proof(std::span<const std::string> proof) {
  std::vector<Hash> out;
  out.reserve(proof.size());
  for (std::size_t i = 0; i < proof.size(); ++i) {
    auto hash = hash_from_bytes(proof[i]);
    if (!hash.ok()) {
      return Error::failed_precondition("proof element " + std::to_string(i) + " is not 32 bytes");
    }
    out.push_back(hash.value());
  }
  return out;
}

}  // namespace

Hash leaf_hash(std::string_view leaf_input) {
  static constexpr char kLeaf = 0x00;
  return sha256({std::string_view(&kLeaf, 1), leaf_input});
}

Hash node_hash(const Hash& left, const Hash& right) {
  static constexpr char kNode = 0x01;
  return sha256({std::string_view(&kNode, 1), view(left), view(right)});
}

Hash empty_root() { return sha256({}); }

std::string to_hex(const Hash& hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const auto byte : hash) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xF]);
  }
  return out;
}

std::string to_bytes(const Hash& hash) { return std::string(view(hash)); }

Result<Hash> hash_from_bytes(std::string_view bytes) {
  if (bytes.size() != 32) {
    return Error::invalid_argument("a hash is 32 bytes, got " + std::to_string(bytes.size()));
  }
  Hash out{};
  std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char*>(out.data()));
  return out;
}

std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

Result<std::vector<Hash>> inclusion_path(std::uint64_t index, std::uint64_t size,
                                         HashSource& source) {
  if (index >= size) {
    return Error::invalid_argument("leaf index " + std::to_string(index) +
                                   " is not below the tree size " + std::to_string(size));
  }
  std::vector<Hash> out;
  CANDOR_TRY(inclusion_recursive(index, 0, size, source, out));
  return out;
}

Result<std::vector<Hash>> consistency_path(std::uint64_t first, std::uint64_t second,
                                           HashSource& source) {
  if (first == 0 || first > second) {
    return Error::invalid_argument("a consistency proof needs 0 < first <= second, got " +
                                   std::to_string(first) + " and " + std::to_string(second));
  }
  std::vector<Hash> out;
  CANDOR_TRY(subproof(first, 0, second, true, source, out));
  return out;
}

Result<void> verify_inclusion(std::uint64_t index, std::uint64_t size, std::string_view leaf,
                              std::span<const std::string> proof, std::string_view root) {
  if (index >= size) return Error::failed_precondition("the leaf index is not below the tree size");
  auto leaf_hash_value = hash_from_bytes(leaf);
  auto root_hash = hash_from_bytes(root);
  if (!leaf_hash_value.ok() || !root_hash.ok()) {
    return Error::failed_precondition("the leaf hash and the root must be 32 bytes");
  }
  const auto path = CANDOR_TRY(parse_proof(proof));
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf_hash_value.value();
  for (const Hash& p : path) {
    if (sn == 0) return Error::failed_precondition("the inclusion proof is too long");
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Error::failed_precondition("the inclusion proof is too short");
  if (r != root_hash.value()) {
    return Error::failed_precondition("the inclusion proof does not lead to the root");
  }
  return {};
}

Result<void> verify_consistency(std::uint64_t first, std::uint64_t second,
                                std::span<const std::string> proof, std::string_view first_root,
                                std::string_view second_root) {
  // Nothing is proved from the empty tree, as transparency-dev/merkle's verifier holds.
  if (first == 0) return Error::failed_precondition("no proof is defined from the empty tree");
  if (first > second) return Error::failed_precondition("the first tree is larger than the second");
  if (first == second) {
    // The same tree: nothing to prove but that the roots are the same bytes.
    if (!proof.empty()) return Error::failed_precondition("equal sizes take an empty proof");
    if (first_root != second_root) {
      return Error::failed_precondition("equal sizes but different roots");
    }
    return {};
  }
  auto root1 = hash_from_bytes(first_root);
  auto root2 = hash_from_bytes(second_root);
  if (!root1.ok() || !root2.ok()) return Error::failed_precondition("the roots must be 32 bytes");
  if (proof.empty()) return Error::failed_precondition("the consistency proof is empty");
  std::vector<Hash> path = CANDOR_TRY(parse_proof(proof));
  if (is_power_of_two(first)) path.insert(path.begin(), root1.value());
  std::uint64_t fn = first - 1;
  std::uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return Error::failed_precondition("the consistency proof is too long");
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Error::failed_precondition("the consistency proof is too short");
  if (fr != root1.value()) {
    return Error::failed_precondition("the proof does not lead to the first root");
  }
  if (sr != root2.value()) {
    return Error::failed_precondition("the proof does not lead to the second root");
  }
  return {};
}

void MemoryTree::append_leaf_hash(const Hash& leaf) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf);
  // Completes every perfect subtree the new leaf closes.
  std::size_t level = 0;
  while (levels_[level].size() % 2 == 0) {
    const auto& below = levels_[level];
    const Hash parent = node_hash(below[below.size() - 2], below.back());
    if (levels_.size() == level + 1) levels_.emplace_back();
    levels_[level + 1].push_back(parent);
    ++level;
  }
}

Hash MemoryTree::root(std::uint64_t size) {
  if (size == 0) return empty_root();
  return range_hash(0, size).value();
}

Result<Hash> MemoryTree::range_hash(std::uint64_t begin, std::uint64_t end) {
  if (begin >= end || end > size()) return Error::invalid_argument("range outside the tree");
  const std::uint64_t n = end - begin;
  if (is_power_of_two(n) && begin % n == 0) {
    const auto level = static_cast<std::size_t>(std::countr_zero(n));
    return levels_[level][begin / n];
  }
  const std::uint64_t k = split_point(n);
  return node_hash(CANDOR_TRY(range_hash(begin, begin + k)),
                   CANDOR_TRY(range_hash(begin + k, end)));
}

}  // namespace candor::reg
