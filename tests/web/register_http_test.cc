// The register's endpoints as an RFC 9162 client uses them: key, signed checkpoint, entries
// and proofs, checked with the verification algorithms.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "register/log.h"
#include "register/merkle.h"
#include "register/note.h"
#include "store/migrations.h"
#include "support/temp_dir.h"
#include "web/server.h"

namespace candor::web {
namespace {

using nlohmann::json;

class FixedClock final : public Clock {
 public:
  Timestamp now() const override {
    return Timestamp::parse_rfc3339("2026-11-29T12:00:00Z").value();
  }
};

class RegisterHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::Database::open({.location = dir_.file("candor.db")}).value();
    ASSERT_TRUE(store::migrate(*db_, store::builtin_migrations(), clock_).ok());
    key_ = reg::SignerKey::generate("register.test/candor").value();
    ServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.password_cost = licensing::PasswordCost::minimal;
    options.register_key = &key_;
    server_ = std::make_unique<Server>(*db_, clock_, options);
    port_ = server_->bind().value();
    thread_ = std::thread([this] { (void)server_->serve(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
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
  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path);
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

  candor::testing::TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
  reg::SignerKey key_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
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
