// The register's endpoints as an RFC 9162 client uses them: key, signed checkpoint, entries
// and proofs, checked with the verification algorithms.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "register/log.h"
#include "register/merkle.h"
#include "register/note.h"
#include "register/verify.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/register_server.h"
#include "support/temp_dir.h"
#include "web/server.h"

namespace candor::web {
namespace {

using nlohmann::json;

class RegisterHttpTest : public candor::testing::RegisterServerTest {
 protected:
  // The SQL of an insider editing the tree, in each backend's words.
  const char* drop_node_guard() const {
    return db_->backend() == store::Backend::postgresql
               ? "DROP TRIGGER register_nodes_no_update ON register_nodes"
               : "DROP TRIGGER register_nodes_no_update";
  }
  const char* zero_hash() const {
    return db_->backend() == store::Backend::postgresql ? "decode(repeat('00', 32), 'hex')"
                                                        : "zeroblob(32)";
  }

  void append(std::size_t from, std::size_t to) {
    std::vector<reg::NewEntry> batch;
    for (std::size_t i = from; i < to; ++i) {
      reg::NewEntry e;
      e.entry_id = "E-" + std::to_string(i);
      e.leaf_input = json{{"entry_id", e.entry_id}, {"decision", "refused"}}.dump();
      batch.push_back(e);
    }
    ASSERT_TRUE(reg::Log(*db_, clock_).append(batch).ok());
  }
  reg::Checkpoint checkpoint() {
    auto r = get("/register/checkpoint");
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; charset=utf-8");
    const auto verifier =
        reg::VerifierKey::parse(
            get("/register/key")->body.substr(0, get("/register/key")->body.find('\n')))
            .value();
    return reg::Checkpoint::parse(reg::open_note(r->body, verifier).value()).value();
  }
  static std::vector<std::string> path_of(const json& list) {
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(reg::from_base64(item.get<std::string>()).value());
    return out;
  }
};

TEST_F(RegisterHttpTest, ProofsServedVerifyAgainstSignedCheckpoints) {
  EXPECT_EQ(get("/register/key")->body, key_.verifier().to_string() + "\n");
  append(0, 13);
  const auto first = checkpoint();
  EXPECT_EQ(first.origin, "register.test/candor");
  EXPECT_EQ(first.size, 13U);
  append(13, 40);
  const auto second = checkpoint();
  EXPECT_EQ(second.size, 40U);

  auto entries = json::parse(get("/register/entries?start=0&end=40")->body)["entries"];
  ASSERT_EQ(entries.size(), 40U);
  for (std::uint64_t i = 0; i < 40; ++i) {
    const std::string leaf_input =
        reg::from_base64(entries[i]["leaf_input"].get<std::string>()).value();
    EXPECT_EQ(entries[i]["index"], i);
    EXPECT_EQ(entries[i]["entry"]["entry_id"], "E-" + std::to_string(i));
    auto proof = json::parse(
        get("/register/proof/inclusion?index=" + std::to_string(i) + "&tree_size=40")->body);
    EXPECT_EQ(proof["leaf_index"], i);
    EXPECT_EQ(proof["tree_size"], 40);
    EXPECT_TRUE(reg::verify_inclusion(i, 40, reg::to_bytes(reg::leaf_hash(leaf_input)),
                                      path_of(proof["inclusion_path"]), reg::to_bytes(second.root))
                    .ok())
        << i;
  }
  auto consistency = json::parse(get("/register/proof/consistency?first=13&second=40")->body);
  EXPECT_EQ(consistency["first"], 13);
  EXPECT_EQ(consistency["second"], 40);
  EXPECT_TRUE(reg::verify_consistency(13, 40, path_of(consistency["consistency_path"]),
                                      reg::to_bytes(first.root), reg::to_bytes(second.root))
                  .ok());
}

class HttpRemote final : public reg::Remote {
 public:
  explicit HttpRemote(int port) : port_(port) {}
  Result<std::string> get(const std::string& path) override {
    httplib::Client client("127.0.0.1", port_);
    auto answer = client.Get(path);
    if (!answer || answer->status != 200) return Error::unavailable("no answer for " + path);
    return answer->body;
  }

 private:
  int port_;
};

TEST_F(RegisterHttpTest, VerifyTrustsTheKeyOnFirstUseThenChecksConsistencyAndEveryEntry) {
  HttpRemote remote(port_);
  append(0, 21);
  auto first = reg::verify_register(remote, {.full = true}, "day 1").value();
  ASSERT_TRUE(first.ok) << first.failure;
  EXPECT_EQ(first.checkpoint.size, 21U);
  EXPECT_EQ(first.next.key, key_.verifier().to_string());
  EXPECT_NE(first.checked.front().find("first use"), std::string::npos);

  append(21, 50);
  auto second =
      reg::verify_register(remote, {.previous = first.next, .full = true}, "day 2").value();
  ASSERT_TRUE(second.ok) << second.failure;
  EXPECT_EQ(second.checkpoint.size, 50U);
  EXPECT_NE(second.checked[1].find("consistent with the 21 entries verified on day 1"),
            std::string::npos)
      << second.checked[1];
  // The state of day 2 is read back as written.
  EXPECT_EQ(reg::VerifyState::parse(second.next.to_json()).value().checkpoint,
            second.next.checkpoint);

  // Another key (a register replaced, or a man in the middle) fails against the state.
  const auto other = reg::SignerKey::generate("register.test/candor").value();
  auto mismatch = reg::verify_register(
      remote, {.key = other.verifier().to_string(), .previous = second.next}, "day 3");
  ASSERT_TRUE(mismatch.ok());
  EXPECT_FALSE(mismatch->ok);
  auto wrong_key =
      reg::verify_register(remote, {.key = other.verifier().to_string()}, "day 3").value();
  EXPECT_FALSE(wrong_key.ok);
  EXPECT_NE(wrong_key.failure.find("signature"), std::string::npos) << wrong_key.failure;
}

TEST_F(RegisterHttpTest, VerifyCatchesAChangedByteInAStoredEntry) {
  HttpRemote remote(port_);
  append(0, 30);
  auto before = reg::verify_register(remote, {.full = true}, "day 1").value();
  ASSERT_TRUE(before.ok) << before.failure;
  {
    // What an insider with the database could do: lift the append-only guard and edit.
    auto lease = db_->acquire().value();
    const bool pg = db_->backend() == store::Backend::postgresql;
    ASSERT_TRUE(lease
                    ->execute_script(
                        pg ? "DROP TRIGGER register_entries_no_update ON register_entries; UPDATE "
                             "register_entries SET leaf_input = convert_to(replace(convert_from("
                             "leaf_input, 'UTF8'), 'refused', 'refusex'), 'UTF8') WHERE idx = 7"
                           : "DROP TRIGGER register_entries_no_update; UPDATE register_entries SET "
                             "leaf_input = CAST(replace(CAST(leaf_input AS TEXT), 'refused', "
                             "'refusex') AS BLOB) WHERE idx = 7")
                    .ok());
  }
  auto after = reg::verify_register(remote, {.previous = before.next, .full = true}, "day 2");
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->ok);
  EXPECT_NE(after->failure.find("an entry was changed"), std::string::npos) << after->failure;
}

TEST_F(RegisterHttpTest, VerifyCatchesAChangedStoredNode) {
  HttpRemote remote(port_);
  append(0, 64);
  auto before = reg::verify_register(remote, {}, "day 1").value();
  ASSERT_TRUE(before.ok) << before.failure;
  {
    auto lease = db_->acquire().value();
    ASSERT_TRUE(lease
                    ->execute_script(std::string(drop_node_guard()) +
                                     "; UPDATE register_nodes SET hash = " + zero_hash() +
                                     " WHERE level = 4 AND idx = 1")
                    .ok());
  }
  // A node inside the tree shows in the proofs that pass through it.
  auto full = reg::verify_register(remote, {.previous = before.next, .full = true}, "day 2");
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(full->ok);
  EXPECT_NE(full->failure.find("a stored node was changed"), std::string::npos) << full->failure;

  // A node the root rests on: the next checkpoint is signed over it, so it cannot be
  // consistent with the one verified before.
  {
    auto lease = db_->acquire().value();
    ASSERT_TRUE(lease
                    ->execute_script(std::string("UPDATE register_nodes SET hash = ") +
                                     zero_hash() + " WHERE level = 6 AND idx = 0")
                    .ok());
  }
  append(64, 80);
  auto after = reg::verify_register(remote, {.previous = before.next}, "day 2").value();
  EXPECT_FALSE(after.ok);
  EXPECT_NE(after.failure.find("not consistent"), std::string::npos) << after.failure;
}

TEST_F(RegisterHttpTest, VerifySeesAShrunkOrRewrittenRegister) {
  HttpRemote remote(port_);
  append(0, 10);
  auto day1 = reg::verify_register(remote, {}, "day 1").value();
  ASSERT_TRUE(day1.ok);
  // A state from a longer log of the same key: this one has fewer entries now.
  reg::VerifyState longer = day1.next;
  longer.checkpoint =
      reg::sign_note(reg::Checkpoint{"register.test/candor", 12, reg::leaf_hash("x")}.to_text(),
                     key_)
          .value();
  auto shrunk = reg::verify_register(remote, {.previous = longer}, "day 2").value();
  EXPECT_FALSE(shrunk.ok);
  EXPECT_NE(shrunk.failure.find("shrank"), std::string::npos) << shrunk.failure;
  reg::VerifyState same_size = day1.next;
  same_size.checkpoint =
      reg::sign_note(reg::Checkpoint{"register.test/candor", 10, reg::leaf_hash("x")}.to_text(),
                     key_)
          .value();
  auto rewritten = reg::verify_register(remote, {.previous = same_size}, "day 2").value();
  EXPECT_FALSE(rewritten.ok);
  EXPECT_NE(rewritten.failure.find("rewritten"), std::string::npos) << rewritten.failure;
}

TEST(VerifyParsers, RefuseMalformedAnswersWithoutCrashing) {
  EXPECT_FALSE(reg::parse_entries("").ok());
  EXPECT_FALSE(reg::parse_entries("[]").ok());
  EXPECT_FALSE(reg::parse_entries(R"({"entries": [{"index": -1, "leaf_input": "eA=="}]})").ok());
  EXPECT_FALSE(reg::parse_entries(R"({"entries": [{"index": 0, "leaf_input": "e"}]})").ok());
  // "entry" must be the JSON of the bytes hashed ({"a":1} is eyJhIjoxfQ==).
  EXPECT_TRUE(reg::parse_entries(
                  R"({"entries": [{"index": 0, "leaf_input": "eyJhIjoxfQ==", "entry": {"a": 1}}]})")
                  .ok());
  EXPECT_FALSE(
      reg::parse_entries(
          R"({"entries": [{"index": 0, "leaf_input": "eyJhIjoxfQ==", "entry": {"a": 2}}]})")
          .ok());
  EXPECT_FALSE(reg::parse_proof(R"({"first": 1, "second": 3, "consistency_path": []})",
                                "consistency_path", {{"first", 2}, {"second", 3}})
                   .ok());
  EXPECT_FALSE(reg::parse_proof(R"({"consistency_path": [1]})", "consistency_path", {}).ok());
  EXPECT_TRUE(reg::parse_proof(R"({"consistency_path": ["AAAA"]})", "consistency_path", {}).ok());
  EXPECT_FALSE(reg::VerifyState::parse("{}").ok());
}

TEST_F(RegisterHttpTest, BadQueriesGetJson400s) {
  append(0, 3);
  for (const char* path : {"/register/entries?start=2&end=1", "/register/entries?start=x&end=2",
                           "/register/entries", "/register/proof/inclusion?index=3&tree_size=3",
                           "/register/proof/inclusion?index=0&tree_size=9",
                           "/register/proof/consistency?first=0&second=2",
                           "/register/proof/consistency?first=3&second=2",
                           "/register/proof/inclusion?index=-1&tree_size=2"}) {
    auto r = get(path);
    EXPECT_EQ(r->status, 400) << path << " " << r->body;
    EXPECT_TRUE(json::parse(r->body).contains("error")) << path;
  }
  append(3, 1100);
  auto capped = json::parse(get("/register/entries?start=0&end=5000")->body)["entries"];
  EXPECT_EQ(capped.size(), 1000U) << "at most 1,000 per request";
}

}  // namespace
}  // namespace candor::web
