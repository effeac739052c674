// The exchange between authorities in one process: envelopes sealed and opened, the shape of
// every message, the "essentially identical transaction" rule, and three authorities on
// three databases (either backend) passing denials, consultations and grant notices through
// a transport that can take a peer down.
#include "licensing/exchange.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "licensing/denials.h"
#include "licensing/fixture.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::licensing {
namespace {

using nlohmann::json;
using testing::LicensingTest;
using testing::SettableClock;

ExchangeConfig config_of(const std::string& member_state, const reg::SignerKey& key,
                         const std::map<std::string, reg::SignerKey>& others) {
  ExchangeConfig config;
  config.member_state = member_state;
  config.name = member_state + " authority";
  config.key = key;
  for (const auto& [code, other] : others) {
    if (code == member_state) continue;
    config.peers.push_back(
        {code, code + " authority", "http://" + code + ".invalid", other.verifier()});
  }
  return config;
}

class Keys {
 public:
  Keys() {
    for (const char* code : {"DE", "FR", "NL"}) {
      keys_[code] = reg::SignerKey::generate(std::string(code) + ".exchange.test").value();
    }
  }
  const std::map<std::string, reg::SignerKey>& all() const { return keys_; }
  const reg::SignerKey& of(const std::string& code) const { return keys_.at(code); }

 private:
  std::map<std::string, reg::SignerKey> keys_;
};

Message denial_message(const std::string& from, const std::string& to) {
  return {from + "-0123456789abcdef0123456789abcdef",
          MessageKind::denial,
          from,
          to,
          "2026-11-02T09:00:00Z",
          {{"reference", from + "-C-2026-0001"},
           {"decision", "refused"},
           {"denied_on", "2026-11-01"},
           {"valid_until", "2029-11-01"},
           {"destination", "AE"},
           {"control_entries", {"4D004"}},
           {"end_user", {{"name", "Signals Intelligence Directorate"}, {"country", "AE"}}},
           {"criteria", {"criterion_2"}},
           {"reasons", "Clear risk of internal repression"}}};
}

TEST(ExchangeMessages, ASealedMessageOpensForItsRecipientOnly) {
  const Keys keys;
  const auto fr = config_of("FR", keys.of("FR"), keys.all());
  const auto nl = config_of("NL", keys.of("NL"), keys.all());
  const auto envelope = seal(denial_message("DE", "FR"), keys.of("DE")).value();
  auto opened = open_envelope(envelope, fr);
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  EXPECT_EQ(opened->from, "DE");
  EXPECT_EQ(opened->kind, MessageKind::denial);
  EXPECT_EQ(opened->body["end_user"]["name"], "Signals Intelligence Directorate");
  // Replayed to another authority: refused, though the signature is good.
  auto elsewhere = open_envelope(envelope, nl);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_NE(elsewhere.error().message().find("addressed to FR"), std::string::npos);
}

TEST(ExchangeMessages, AChangedOrForgedMessageIsRefusedAsUnauthenticated) {
  const Keys keys;
  const auto fr = config_of("FR", keys.of("FR"), keys.all());
  auto envelope = json::parse(seal(denial_message("DE", "FR"), keys.of("DE")).value());
  // One word of the body changed after signing.
  json changed = envelope;
  changed["message"]["body"]["end_user"]["name"] = "Someone Else";
  auto opened = open_envelope(changed.dump(), fr);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind(), ErrorKind::unauthenticated);
  // Signed by NL's key but claiming to come from DE.
  const auto forged = seal(denial_message("DE", "FR"), keys.of("NL")).value();
  opened = open_envelope(forged, fr);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind(), ErrorKind::unauthenticated);
  // From an authority that is not a peer.
  const auto stranger_key = reg::SignerKey::generate("xx.exchange.test").value();
  opened = open_envelope(seal(denial_message("IT", "FR"), stranger_key).value(), fr);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind(), ErrorKind::unauthenticated);
}

TEST(ExchangeMessages, MalformedEnvelopesAndBodiesSayWhatIsWrong) {
  const Keys keys;
  const auto fr = config_of("FR", keys.of("FR"), keys.all());
  for (const std::string text :
       {"", "[]", "{}", "{\"message\":{},\"signature\":\"x\"}", "not json", "{\"message\":1}"}) {
    auto opened = open_envelope(text, fr);
    ASSERT_FALSE(opened.ok()) << text;
    EXPECT_EQ(opened.error().kind(), ErrorKind::invalid_argument) << text;
  }
  // Properly signed, but the body lacks what its kind needs: the check names the field.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"destination", "message.body.destination"},
      {"control_entries", "message.body.control_entries"},
      {"end_user", "message.body.end_user"},
      {"valid_until", "message.body.valid_until"}};
  for (const auto& [field, named] : cases) {
    Message message = denial_message("DE", "FR");
    message.body.erase(field);
    auto opened = open_envelope(seal(message, keys.of("DE")).value(), fr);
    ASSERT_FALSE(opened.ok()) << field;
    EXPECT_NE(opened.error().message().find(named), std::string::npos) << opened.error().message();
  }
  Message reply{"DE-1",
                MessageKind::consultation_reply,
                "DE",
                "FR",
                "2026-11-02T09:00:00Z",
                {{"request", "FR-2"},
                 {"denial_reference", "DE-C-1"},
                 {"position", "maybe"},
                 {"answer", "x"}}};
  auto opened = open_envelope(seal(reply, keys.of("DE")).value(), fr);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message().find("position"), std::string::npos);
}

TEST(ExchangeFiles, AValidFileIsReadAndMistakesAreNamed) {
  const Keys keys;
  const std::string peer_key = keys.of("FR").verifier().to_string();
  const json good = {{"member_state", "DE"},
                     {"name", "Federal Office"},
                     {"key_file", "de.key"},
                     {"peers",
                      {{{"member_state", "FR"},
                        {"name", "SBDU"},
                        {"url", "https://fr.example/candor/"},
                        {"key", peer_key}}}}};
  auto file = parse_exchange_file(good.dump());
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  EXPECT_EQ(file->peers.at(0).url, "https://fr.example/candor");
  const std::vector<std::pair<std::function<void(json&)>, std::string>> mistakes = {
      {[](json& j) { j["member_state"] = "de"; }, "member_state"},
      {[](json& j) { j.erase("key_file"); }, "key_file"},
      {[](json& j) { j["peers"][0]["url"] = "ftp://x"; }, "peers[0].url"},
      {[](json& j) { j["peers"][0]["key"] = "nonsense"; }, "peers[0].key"},
      {[](json& j) { j["peers"][0]["member_state"] = "DE"; }, "own"},
      {[](json& j) { j["peers"].push_back(j["peers"][0]); }, "twice"},
  };
  for (const auto& [mutate, named] : mistakes) {
    json bad = good;
    mutate(bad);
    auto parsed = parse_exchange_file(bad.dump());
    ASSERT_FALSE(parsed.ok()) << named;
    EXPECT_NE(parsed.error().message().find(named), std::string::npos) << parsed.error().message();
  }
}

TEST(DenialMatching, EntriesAreTheSameOrEquivalentByTheControlList) {
  const auto& catalogue = catalogue::Catalogue::builtin();
  EXPECT_TRUE(equivalent_entries("4D004", "4D004", catalogue));
  EXPECT_TRUE(equivalent_entries("5A001.f", "5A001.f.1", catalogue));
  // Systems and software for intrusion software are one capability.
  auto why = equivalent_entries("4A005", "4D004", catalogue);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("intrusion software"), std::string::npos);
  EXPECT_FALSE(equivalent_entries("4D004", "5A001.j", catalogue));
  EXPECT_FALSE(equivalent_entries("5A001", "5A001.f.1x", catalogue) &&
               !equivalent_entries("5A001.f", "5A001.f.1x", catalogue));
  EXPECT_FALSE(equivalent_entries("", "4D004", catalogue));
}

TEST(DenialMatching, OnlyTheSameDestinationEntryAndSimilarEndUserMatch) {
  const auto& catalogue = catalogue::Catalogue::builtin();
  const DenialFacts denial{"AE", {"4D004"}, {"Signals Intelligence Directorate", "AE"}};
  TransactionFacts same{"AE", {"4A005"}, {{"Directorate of Signals Intelligence", "AE"}}};
  auto match = match_denial(same, denial, catalogue);
  ASSERT_TRUE(match);
  EXPECT_GE(match->end_user_score, similar_name_threshold());
  EXPECT_NE(match->summary().find("4A005 ~ 4D004"), std::string::npos);
  TransactionFacts other_destination = same;
  other_destination.destination = "SA";
  EXPECT_FALSE(match_denial(other_destination, denial, catalogue));
  TransactionFacts other_entry = same;
  other_entry.control_entries = {"5A001.f.1"};
  EXPECT_FALSE(match_denial(other_entry, denial, catalogue));
  TransactionFacts other_user = same;
  other_user.end_users = {{"Etisalat Network Operations", "AE"}};
  EXPECT_FALSE(match_denial(other_user, denial, catalogue));
  // A name written in another script, as screening matches it.
  const DenialFacts russian{"RU", {"5A001.f.1"}, {"Федеральная служба безопасности", "RU"}};
  TransactionFacts latin{"RU", {"5A001.f.1"}, {{"Federalnaya Sluzhba Bezopasnosti", "RU"}}};
  EXPECT_TRUE(match_denial(latin, russian, catalogue));
}

// Delivers to the Exchange of each authority directly; an authority can be taken down.
class Router final : public Transport {
 public:
  std::map<std::string, Exchange*> authorities;
  std::set<std::string> down;
  std::vector<std::string> delivered;  // Kinds, in order.

  Result<PostAnswer> post(const Peer& peer, const std::string& envelope) override {
    if (down.count(peer.member_state) > 0) {
      return Error::unavailable(peer.member_state + " is down");
    }
    auto answer = authorities.at(peer.member_state)->receive(envelope);
    if (!answer.ok()) return PostAnswer{400, answer.error().message()};
    delivered.push_back(json::parse(envelope)["message"]["kind"].get<std::string>());
    return PostAnswer{200, answer->dump()};
  }
};

struct Authority {
  std::string code;
  std::unique_ptr<store::Database> db;
  ExchangeConfig config;
  std::unique_ptr<Exchange> exchange;
  std::unique_ptr<Accounts> accounts;
  std::unique_ptr<Cases> cases;
  User exporter, officer;
};

class ThreeAuthorities : public ::testing::Test {
 protected:
  void SetUp() override {
    checks_ = std::make_unique<Checks>(catalogue::Catalogue::builtin(), nullptr,
                                       risk::Snapshot::builtin());
    for (const char* code : {"DE", "FR", "NL"}) {
      auto& a = authorities_[code];
      a.code = code;
      std::string location;
      CANDOR_ASSIGN_TEST_DATABASE(location, dir_, std::string(code) + ".db");
      a.db = store::Database::open({.location = location}).value();
      ASSERT_TRUE(store::migrate(*a.db, clock_).ok());
      a.config = config_of(code, keys_.of(code), keys_.all());
      a.exchange = std::make_unique<Exchange>(*a.db, clock_, a.config,
                                              DeliveryPolicy{1'000'000, 8'000'000, 32});
      ASSERT_TRUE(a.exchange->record_identity().ok());
      a.accounts = std::make_unique<Accounts>(*a.db, clock_, PasswordCost::minimal);
      a.cases = std::make_unique<Cases>(*a.db, clock_, *checks_, &a.config);
      a.exporter =
          a.accounts
              ->create_user({"ex@" + std::string(code) + ".example", "Exporter", Role::exporter,
                             std::string(code) + " Systems", code, "exporter-password"})
              .value();
      a.officer = a.accounts
                      ->create_user({"officer@" + std::string(code) + ".example", "Officer",
                                     Role::officer, "", "", "officer-password"})
                      .value();
      router_.authorities[code] = a.exchange.get();
    }
  }

  // An application brought to the point of decision, its screening cleared.
  std::string recommended(Authority& a, const std::string& end_user, const std::string& entry) {
    CaseInput input = LicensingTest::application();
    input.parties = {{"end_user", end_user, "AE", "organisation", "Abu Dhabi"}};
    input.items[0].facts = {{"kind", "software"}};
    input.items[0].declared_entry = entry;
    const auto reference = a.cases->create(a.exporter, input).value();
    EXPECT_TRUE(a.cases->act(a.exporter, reference, {Action::submit, "", {}, {}}).ok());
    EXPECT_TRUE(a.cases->act(a.officer, reference, {Action::start_review, "", {}, {}}).ok());
    EXPECT_TRUE(a.cases->act(a.officer, reference, {Action::recommend, "Decide", {}, {}}).ok());
    const auto view = a.cases->view(a.officer, reference).value();
    for (const auto& hit : view["screening_hits"]) {
      EXPECT_TRUE(
          a.cases->clear_hit(a.officer, reference, hit["id"], "screened", "Checked by hand").ok());
    }
    return reference;
  }

  // Every authority sends what is due, until nothing more moves.
  void deliver_all() {
    for (int round = 0; round < 5; ++round) {
      std::size_t moved = 0;
      for (auto& [code, a] : authorities_) {
        auto sent = a.exchange->deliver_due(router_);
        ASSERT_TRUE(sent.ok()) << sent.error().to_string();
        moved += sent->delivered;
      }
      if (moved == 0) return;
    }
  }

  json overview(Authority& a) { return a.exchange->overview(a.officer).value(); }

  candor::testing::TempDir dir_;
  SettableClock clock_;
  Keys keys_;
  std::unique_ptr<Checks> checks_;
  std::map<std::string, Authority> authorities_;
  Router router_;
};

TEST_F(ThreeAuthorities, DenialConsultationGrantAnywayAndNoticeToAll) {
  auto& de = authorities_["DE"];
  auto& fr = authorities_["FR"];
  auto& nl = authorities_["NL"];
  const auto refused = recommended(de, "Signals Intelligence Directorate", "4D004");
  ASSERT_TRUE(de.cases
                  ->act(de.officer, refused,
                        {Action::refuse, "Clear risk of internal repression", {"criterion_2"}, {}})
                  .ok());
  deliver_all();
  for (auto* a : {&fr, &nl}) {
    const auto denials = overview(*a)["denials"];
    ASSERT_EQ(denials.size(), 1u) << a->code;
    EXPECT_EQ(denials[0]["authority"], "DE");
    EXPECT_EQ(denials[0]["reference"], "DE-" + refused);
    EXPECT_TRUE(denials[0]["valid"].get<bool>());
  }

  // FR's application for the same transaction (software of the same capability, the end user
  // written differently) is held and DE consulted.
  const auto application = recommended(fr, "Directorate of Signals Intelligence", "4A005");
  auto grant = fr.cases->act(fr.officer, application, {Action::grant, "", {}, {}});
  ASSERT_FALSE(grant.ok());
  EXPECT_EQ(grant.error().kind(), ErrorKind::failed_precondition);
  EXPECT_NE(grant.error().message().find("DE-" + refused), std::string::npos);
  auto view = fr.cases->view(fr.officer, application).value();
  ASSERT_EQ(view["denials"].size(), 1u);
  EXPECT_TRUE(view["denials"][0]["holds_grant"].get<bool>());
  deliver_all();
  const auto asked = overview(de)["consultations"];
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0]["direction"], "incoming");
  EXPECT_EQ(asked[0]["peer"], "FR");
  EXPECT_EQ(asked[0]["subject"]["reference"], application);

  // The officer grants anyway, with reasons; every authority is told, with them.
  EXPECT_FALSE(fr.cases->grant_despite_denials(fr.officer, application, " ").ok());
  ASSERT_TRUE(fr.cases
                  ->grant_despite_denials(fr.officer, application,
                                          "Judicial warrants and end-use monitoring agreed")
                  .ok());
  ASSERT_TRUE(fr.cases->act(fr.officer, application, {Action::grant, "", {}, {}}).ok());
  deliver_all();
  for (auto* a : {&de, &nl}) {
    const auto notices = overview(*a)["grant_notices"];
    ASSERT_EQ(notices.size(), 1u) << a->code;
    EXPECT_EQ(notices[0]["authority"], "FR");
    EXPECT_EQ(notices[0]["reference"], application);
    EXPECT_NE(notices[0]["reasons"].get<std::string>().find("Judicial warrants"),
              std::string::npos);
    EXPECT_EQ(notices[0]["denials"][0]["reference"], "DE-" + refused);
  }
  // Nothing is left to send.
  for (auto& [code, a] : authorities_) {
    const json peers = overview(a)["peers"];
    for (const auto& peer : peers) EXPECT_EQ(peer["waiting"], 0) << code;
  }
}

TEST_F(ThreeAuthorities, AnAnsweredConsultationLiftsTheHold) {
  auto& de = authorities_["DE"];
  auto& fr = authorities_["FR"];
  const auto refused = recommended(de, "Signals Intelligence Directorate", "4D004");
  ASSERT_TRUE(
      de.cases->act(de.officer, refused, {Action::refuse, "Risk", {"criterion_2"}, {}}).ok());
  deliver_all();
  const auto application = recommended(fr, "Signals Intelligence Directorate", "4D004");
  EXPECT_FALSE(fr.cases->act(fr.officer, application, {Action::grant, "", {}, {}}).ok());
  deliver_all();
  const auto id = overview(de)["consultations"][0]["id"].get<std::int64_t>();
  EXPECT_FALSE(de.exchange->answer_consultation(de.officer, id, "perhaps", "x").ok());
  EXPECT_FALSE(de.exchange->answer_consultation(de.officer, id, "no_objection", " ").ok());
  EXPECT_FALSE(de.exchange->answer_consultation(de.exporter, id, "no_objection", "x").ok());
  ASSERT_TRUE(de.exchange
                  ->answer_consultation(de.officer, id, "no_objection",
                                        "The end user has since been reformed")
                  .ok());
  EXPECT_EQ(
      de.exchange->answer_consultation(de.officer, id, "no_objection", "again").error().kind(),
      ErrorKind::conflict);
  EXPECT_FALSE(fr.cases->act(fr.officer, application, {Action::grant, "", {}, {}}).ok())
      << "the answer has not arrived yet";
  deliver_all();
  const auto view = fr.cases->view(fr.officer, application).value();
  EXPECT_EQ(view["denials"][0]["consultation"]["position"], "no_objection");
  ASSERT_TRUE(fr.cases->act(fr.officer, application, {Action::grant, "", {}, {}}).ok());
  deliver_all();
  // The grant after consultation is notified too, with the answer it relied on.
  const auto notices = overview(de)["grant_notices"];
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0]["denials"][0]["consultation"]["position"], "no_objection");
}

TEST_F(ThreeAuthorities, ADifferentTransactionIsNotHeldAndAWithdrawnDenialStopsHolding) {
  auto& de = authorities_["DE"];
  auto& fr = authorities_["FR"];
  const auto refused = recommended(de, "Signals Intelligence Directorate", "4D004");
  ASSERT_TRUE(
      de.cases->act(de.officer, refused, {Action::refuse, "Risk", {"criterion_2"}, {}}).ok());
  deliver_all();
  const auto unrelated = recommended(fr, "Etisalat Network Operations", "4D004");
  EXPECT_TRUE(fr.cases->act(fr.officer, unrelated, {Action::grant, "", {}, {}}).ok());
  const auto similar = recommended(fr, "Signals Intelligence Directorate", "4D004");
  EXPECT_FALSE(fr.cases->act(fr.officer, similar, {Action::grant, "", {}, {}}).ok());
  // DE annuls its refusal (an appeal succeeded): the denial no longer counts anywhere.
  ASSERT_TRUE(de.cases->act(de.officer, refused, {Action::annul, "Appeal upheld", {}, {}}).ok());
  deliver_all();
  const auto denials = overview(fr)["denials"];
  ASSERT_EQ(denials.size(), 1u);
  EXPECT_FALSE(denials[0]["valid"].get<bool>());
  EXPECT_EQ(denials[0]["withdrawn_reason"], "Appeal upheld");
  EXPECT_TRUE(fr.cases->act(fr.officer, similar, {Action::grant, "", {}, {}}).ok());
}

TEST_F(ThreeAuthorities, APeerDownIsDeliveredToLaterAndNothingIsLostAcrossRestarts) {
  auto& de = authorities_["DE"];
  auto& nl = authorities_["NL"];
  router_.down = {"NL"};
  const auto refused = recommended(de, "Signals Intelligence Directorate", "4D004");
  ASSERT_TRUE(
      de.cases->act(de.officer, refused, {Action::refuse, "Risk", {"criterion_2"}, {}}).ok());
  ASSERT_TRUE(de.exchange->deliver_due(router_).ok());
  auto peers = overview(de)["peers"];
  const auto nl_status = peers[1]["member_state"] == "NL" ? peers[1] : peers[0];
  EXPECT_EQ(nl_status["waiting"], 1);
  EXPECT_NE(nl_status["last_error"].get<std::string>().find("NL is down"), std::string::npos);
  // Retried with backoff: not before a second, then after two, four, up to eight seconds.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto early = de.exchange->deliver_due(router_);
    ASSERT_TRUE(early.ok());
    EXPECT_EQ(early->delivered + early->failed, 0u) << "retried before its time";
    ASSERT_TRUE(early->next_due_us);
    const auto wait = *early->next_due_us - clock_.now().unix_micros();
    EXPECT_LE(wait, 8'000'000);
    clock_.set(Timestamp::from_unix_micros(*early->next_due_us).value().to_rfc3339());
    auto due = de.exchange->deliver_due(router_);
    ASSERT_TRUE(due.ok());
    EXPECT_EQ(due->failed, 1u);
  }
  // A new service over the same database (a restart) still has the message, and delivers it
  // once NL is back.
  de.exchange = std::make_unique<Exchange>(*de.db, clock_, de.config);
  router_.authorities["DE"] = de.exchange.get();
  router_.down.clear();
  clock_.advance_days(1);
  auto later = de.exchange->deliver_due(router_);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->delivered, 1u);
  EXPECT_EQ(overview(nl)["denials"].size(), 1u);
}

TEST_F(ThreeAuthorities, AMessageDeliveredTwiceIsStoredOnce) {
  auto& de = authorities_["DE"];
  auto& fr = authorities_["FR"];
  const auto envelope = seal(denial_message("DE", "FR"), keys_.of("DE")).value();
  auto first = fr.exchange->receive(envelope);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_FALSE((*first)["duplicate"].get<bool>());
  auto second = fr.exchange->receive(envelope);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*second)["duplicate"].get<bool>());
  EXPECT_EQ(overview(fr)["denials"].size(), 1u);
  // A reply to a consultation FR never asked is refused, and nothing is stored.
  Message reply{"DE-abc",
                MessageKind::consultation_reply,
                "DE",
                "FR",
                "2026-11-02T09:00:00Z",
                {{"request", "FR-never"},
                 {"denial_reference", "DE-C-1"},
                 {"position", "no_objection"},
                 {"answer", "x"}}};
  auto refused = fr.exchange->receive(seal(reply, keys_.of("DE")).value());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::conflict);
  (void)de;
}

}  // namespace
}  // namespace candor::licensing
