#include "register/merkle.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "register/note.h"
#include "support/shared_data.h"

namespace candor::reg {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// The definitions of RFC 9162 section 2.1, written out directly over a list of leaf hashes,
// with no stored levels: the reference the tree's proofs are compared with.
Hash naive_root(const std::vector<Hash>& leaves, std::size_t begin, std::size_t end) {
  const std::size_t n = end - begin;
  if (n == 1) return leaves[begin];
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return node_hash(naive_root(leaves, begin, begin + k), naive_root(leaves, begin + k, end));
}

void naive_path(const std::vector<Hash>& leaves, std::size_t m, std::size_t begin, std::size_t end,
                std::vector<Hash>& out) {
  const std::size_t n = end - begin;
  if (n == 1) return;
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  if (m < k) {
    naive_path(leaves, m, begin, begin + k, out);
    out.push_back(naive_root(leaves, begin + k, end));
  } else {
    naive_path(leaves, m - k, begin + k, end, out);
    out.push_back(naive_root(leaves, begin, begin + k));
  }
}

void naive_subproof(const std::vector<Hash>& leaves, std::size_t m, std::size_t begin,
                    std::size_t end, bool whole, std::vector<Hash>& out) {
  const std::size_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(naive_root(leaves, begin, end));
    return;
  }
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  if (m <= k) {
    naive_subproof(leaves, m, begin, begin + k, whole, out);
    out.push_back(naive_root(leaves, begin + k, end));
  } else {
    naive_subproof(leaves, m - k, begin + k, end, false, out);
    out.push_back(naive_root(leaves, begin, begin + k));
  }
}

std::vector<std::string> bytes_of(const std::vector<Hash>& path) {
  std::vector<std::string> out;
  for (const auto& h : path) out.push_back(to_bytes(h));
  return out;
}

TEST(Merkle, ReproducesTheRfc6962ReferenceTree) {
  // The reference tree of the Certificate Transparency tests (also in shared/data/tlog).
  const std::vector<std::string> inputs = {"",
                                           "00",
                                           "10",
                                           "2021",
                                           "3031",
                                           "40414243",
                                           "5051525354555657",
                                           "606162636465666768696a6b6c6d6e6f"};
  const std::vector<std::string> roots = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  MemoryTree tree;
  EXPECT_EQ(to_hex(tree.root(0)), roots[0]);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    tree.append_leaf_hash(leaf_hash(unhex(inputs[i])));
    EXPECT_EQ(to_hex(tree.root(i + 1)), roots[i + 1]) << "size " << i + 1;
  }
  for (std::size_t size = 0; size <= inputs.size(); ++size) {
    EXPECT_EQ(to_hex(tree.root(size)), roots[size]) << "older size " << size;
  }
  // The worked consistency example 2 -> 5.
  const auto path = consistency_path(2, 5, tree).value();
  ASSERT_EQ(path.size(), 2U);
  EXPECT_EQ(to_hex(path[0]), "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  EXPECT_EQ(to_hex(path[1]), "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
}

TEST(Merkle, EveryProofOfEverySizeMatchesTheDefinitionAndVerifies) {
  constexpr std::size_t kMax = 70;  // Past 64, so that every shape up to 7 levels occurs.
  std::vector<Hash> leaves;
  MemoryTree tree;
  for (std::size_t i = 0; i < kMax; ++i) {
    leaves.push_back(leaf_hash("entry " + std::to_string(i)));
    tree.append_leaf_hash(leaves.back());
  }
  for (std::size_t n = 1; n <= kMax; ++n) {
    const Hash root = naive_root(leaves, 0, n);
    ASSERT_EQ(tree.root(n), root) << n;
    for (std::size_t m = 0; m < n; ++m) {
      std::vector<Hash> expected;
      naive_path(leaves, m, 0, n, expected);
      const auto path = inclusion_path(m, n, tree).value();
      ASSERT_EQ(path, expected) << "inclusion " << m << " in " << n;
      const auto proof = bytes_of(path);
      ASSERT_TRUE(verify_inclusion(m, n, to_bytes(leaves[m]), proof, to_bytes(root)).ok());
      if (m + 1 < n) {
        ASSERT_FALSE(verify_inclusion(m + 1, n, to_bytes(leaves[m]), proof, to_bytes(root)).ok());
      }
    }
    for (std::size_t m = 1; m <= n; ++m) {
      std::vector<Hash> expected;
      naive_subproof(leaves, m, 0, n, true, expected);
      const auto path = consistency_path(m, n, tree).value();
      ASSERT_EQ(path, expected) << "consistency " << m << " to " << n;
      const auto proof = bytes_of(path);
      const Hash old_root = naive_root(leaves, 0, m);
      ASSERT_TRUE(verify_consistency(m, n, proof, to_bytes(old_root), to_bytes(root)).ok())
          << m << " to " << n;
      if (m < n) {
        const Hash other = leaf_hash("not in the tree");
        ASSERT_FALSE(verify_consistency(m, n, proof, to_bytes(other), to_bytes(root)).ok());
      }
    }
  }
  EXPECT_FALSE(inclusion_path(3, 3, tree).ok());
  EXPECT_FALSE(consistency_path(0, 3, tree).ok());
  EXPECT_FALSE(consistency_path(4, 3, tree).ok());
}

std::vector<std::string> decode_proof(const nlohmann::json& proof) {
  std::vector<std::string> out;
  if (proof.is_null()) return out;
  for (const auto& item : proof) out.push_back(from_base64(item.get<std::string>()).value());
  return out;
}

// The 196 proof-verification cases of transparency-dev/merkle, rejections included.
TEST(Merkle, AgreesWithEveryTransparencyDevVerificationCase) {
  CANDOR_READ_SHARED_OR_SKIP(readme, "tlog/README.md");
  ASSERT_FALSE(readme.empty());
  const auto root = std::filesystem::path(testing::shared_data_dir()) / "tlog/merkle-testdata";
  int checked = 0;
  for (const auto& file : std::filesystem::recursive_directory_iterator(root)) {
    if (file.path().extension() != ".json") continue;
    const auto text = testing::read_shared(
        std::filesystem::relative(file.path(), testing::shared_data_dir()).string());
    const auto c = nlohmann::json::parse(*text);
    const bool want_error = c["wantErr"].get<bool>();
    Result<void> verdict = Error::internal("unset");
    const auto b64 = [&](const char* key) {
      return c[key].is_null() ? std::string() : from_base64(c[key].get<std::string>()).value();
    };
    if (file.path().string().find("/inclusion/") != std::string::npos) {
      const auto proof = decode_proof(c["proof"]);
      verdict =
          verify_inclusion(c["leafIdx"].get<std::uint64_t>(), c["treeSize"].get<std::uint64_t>(),
                           b64("leafHash"), proof, b64("root"));
    } else {
      const auto proof = decode_proof(c["proof"]);
      verdict = verify_consistency(c["size1"].get<std::uint64_t>(), c["size2"].get<std::uint64_t>(),
                                   proof, b64("root1"), b64("root2"));
    }
    EXPECT_EQ(!verdict.ok(), want_error)
        << file.path() << " (" << c["desc"]
        << "): " << (verdict.ok() ? std::string("accepted") : verdict.error().message());
    ++checked;
  }
  EXPECT_EQ(checked, 196);
}

}  // namespace
}  // namespace candor::reg
