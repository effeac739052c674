#include "register/note.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/shared_data.h"

namespace candor::reg {
namespace {

// The reference vector of golang.org/x/mod/sumdb/note, written into the test so that it runs
// on a fresh clone too (shared/data/tlog/vectors.json holds the same).
constexpr const char* kSigner =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr const char* kVerifier =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr const char* kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr const char* kSigned =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

TEST(Note, SigningReproducesTheReferenceNoteByteForByte) {
  const auto signer = SignerKey::parse(kSigner).value();
  EXPECT_EQ(signer.to_string(), kSigner);
  EXPECT_EQ(signer.verifier().to_string(), kVerifier);
  EXPECT_EQ(sign_note(kText, signer).value(), kSigned);
  const auto verifier = VerifierKey::parse(kVerifier).value();
  EXPECT_EQ(open_note(kSigned, verifier).value(), kText);
}

TEST(Note, TheSharedVectorsAgree) {
  CANDOR_READ_SHARED_OR_SKIP(vectors, "tlog/vectors.json");
  const auto v = nlohmann::json::parse(vectors)["signed_note"];
  const auto signer = SignerKey::parse(v["signer_key"].get<std::string>()).value();
  EXPECT_EQ(sign_note(v["text"].get<std::string>(), signer).value(), v["signed_note"]);
  CANDOR_READ_SHARED_OR_SKIP(vkey, "tlog/c2sp_example_vkey.txt");
  CANDOR_READ_SHARED_OR_SKIP(note, "tlog/c2sp_example_note.txt");
  std::string key_line = vkey.substr(0, vkey.find('\n'));
  const auto example = VerifierKey::parse(key_line);
  ASSERT_TRUE(example.ok()) << example.error().to_string();
  const auto opened = open_note(note, example.value());
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  EXPECT_EQ(opened.value(), "This is an example message.\n");
}

TEST(Note, ATamperedNoteOrAnotherKeyIsRefused) {
  const auto verifier = VerifierKey::parse(kVerifier).value();
  std::string tampered = kSigned;
  tampered[3] = 'X';
  EXPECT_FALSE(open_note(tampered, verifier).ok());
  const auto other = SignerKey::generate("PeterNeumann").value();
  EXPECT_FALSE(open_note(kSigned, other.verifier()).ok()) << "same name, other key";
  EXPECT_FALSE(open_note("no signatures\n", verifier).ok());
  EXPECT_FALSE(
      VerifierKey::parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").ok())
      << "a key id that does not match the key";
  EXPECT_FALSE(SignerKey::generate("bad name").ok());
  EXPECT_FALSE(sign_note("no final newline", SignerKey::parse(kSigner).value()).ok());
}

TEST(Note, CheckpointsRoundTripAndGeneratedKeysSign) {
  Checkpoint checkpoint{"register.example/candor", 42, leaf_hash("x")};
  const auto parsed = Checkpoint::parse(checkpoint.to_text()).value();
  EXPECT_EQ(parsed.origin, checkpoint.origin);
  EXPECT_EQ(parsed.size, 42U);
  EXPECT_EQ(parsed.root, checkpoint.root);
  EXPECT_FALSE(Checkpoint::parse("origin\n042\nAAAA\n").ok());
  EXPECT_FALSE(Checkpoint::parse("origin\n42\n").ok());
  const auto key = SignerKey::generate("register.example/candor").value();
  const auto again = SignerKey::parse(key.to_string()).value();
  EXPECT_EQ(again.seed, key.seed);
  const auto note = sign_note(checkpoint.to_text(), key).value();
  EXPECT_EQ(open_note(note, key.verifier()).value(), checkpoint.to_text());
}

}  // namespace
}  // namespace candor::reg
