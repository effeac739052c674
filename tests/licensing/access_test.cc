// The access matrix, rule by rule: each operation tried by each kind of actor on a case in a
// state where the operation is possible, and the outcome each must get. docs/access.md is
// this table in prose.
#include <gtest/gtest.h>

#include <functional>

#include "licensing/fixture.h"

namespace candor::licensing {
namespace {

using testing::LicensingTest;

enum Who { own_exporter, other_exporter, officer, asked_adviser, other_adviser, admin, kWho };
constexpr const char* kWhoNames[] = {"own exporter",  "other exporter", "officer",
                                     "asked adviser", "other adviser",  "admin"};

// What an actor gets: allowed, or refused with this error kind.
enum Outcome { ok, denied, hidden, kOutcomeCount };  // denied: permission_denied; hidden: not_found

struct Rule {
  const char* operation;
  bool on_draft;  // Run against a draft (else a submitted case under advice).
  std::function<Result<void>(Cases&, const User&, const std::string&, std::int64_t document,
                             std::int64_t advice)>
      run;
  Outcome expected[kWho];
};

template <typename T>
Result<void> drop(Result<T> r) {
  if (!r.ok()) return std::move(r).error();
  return {};
}

class AccessTest : public LicensingTest {
 protected:
  const User& actor(Who who) {
    switch (who) {
      case own_exporter: return exporter_;
      case other_exporter: return other_exporter_;
      case officer: return officer_;
      case asked_adviser: return adviser_;
      case other_adviser: return adviser2_;
      case admin: return admin_;
      case kWho: break;
    }
    return admin_;
  }
};

const std::vector<Rule>& rules() {
  static const std::vector<Rule> kRules = {
      {"view a case",
       false,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return drop(c.view(u, ref));
       },
       {ok, hidden, ok, ok, hidden, denied}},
      {"list cases",
       false,
       [](Cases& c, const User& u, auto&, auto, auto) { return drop(c.list(u, {})); },
       {ok, ok, ok, ok, ok, denied}},
      {"create an application",
       true,
       [](Cases& c, const User& u, auto&, auto, auto) {
         return drop(c.create(u, LicensingTest::application()));
       },
       {ok, ok, denied, denied, denied, denied}},
      {"add an item to a draft",
       true,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         ItemInput item;
         item.name = "Spare licence key";
         item.value = "10.00";
         return c.add_item(u, ref, item);
       },
       {ok, hidden, denied, denied, denied, denied}},
      {"add a party to a draft",
       true,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return c.add_party(u, ref,
                            {"intermediary", "Freight Forwarder GmbH", "DE", "organisation", ""});
       },
       {ok, hidden, denied, denied, denied, denied}},
      {"upload a document to a draft",
       true,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return drop(c.add_document(u, ref, {"contract", "contract.pdf", "application/pdf", "x"}));
       },
       {ok, hidden, hidden, denied, denied, denied}},
      {"submit",
       true,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return c.act(u, ref, {Action::submit, "", {}, {}});
       },
       {ok, hidden, hidden, hidden, hidden, denied}},
      {"read a document",
       false,
       [](Cases& c, const User& u, auto&, std::int64_t document, auto) {
         return drop(c.read_document(u, document));
       },
       {ok, hidden, ok, ok, hidden, hidden}},
      {"request information",
       false,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return c.act(u, ref, {Action::request_information, "Who operates it?", {}, {}});
       },
       {denied, hidden, ok, denied, hidden, denied}},
      {"recommend",
       false,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return c.act(u, ref, {Action::recommend, "Refuse", {}, {}});
       },
       {denied, hidden, ok, denied, hidden, denied}},
      {"withdraw",
       false,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return c.act(u, ref, {Action::withdraw, "No longer needed", {}, {}});
       },
       {ok, hidden, denied, denied, hidden, denied}},
      {"assign",
       false,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return c.assign(u, ref, u.id, "2027-01-01");
       },
       {denied, denied, ok, denied, denied, denied}},
      {"run the checks again",
       false,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return c.run_checks(u, ref);
       },
       {denied, denied, ok, denied, denied, denied}},
      {"request advice",
       false,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         // Asking again from advice_requested is not a transition; ask after information.
         return drop(c.request_advice(u, ref, 0, "Second opinion?"));
       },
       {denied, denied, ok, denied, denied, denied}},
      {"answer advice",
       false,
       [](Cases& c, const User& u, auto&, auto, std::int64_t advice) {
         return c.answer_advice(u, advice, "No clear risk found.");
       },
       {denied, denied, denied, ok, hidden, denied}},
      {"add misuse evidence to the case",
       false,
       [](Cases& c, const User& u, const std::string& ref, auto, auto) {
         return drop(c.add_evidence(u, {ref, "AE", "", "targeting", "Activist's phone infected",
                                        "Citizen Lab", "https://citizenlab.ca/", "2016"}));
       },
       {denied, denied, ok, ok, hidden, denied}},
      {"read the advice inbox",
       false,
       [](Cases& c, const User& u, auto&, auto, auto) { return drop(c.advice_inbox(u)); },
       {denied, denied, denied, ok, ok, denied}},
  };
  return kRules;
}

TEST_F(AccessTest, EveryRuleOfTheMatrixHolds) {
  for (const Rule& rule : rules()) {
    for (int who = 0; who < kWho; ++who) {
      // A fresh case per attempt, so that one actor's success does not change the next try.
      const auto reference = cases_->create(exporter_, application()).value();
      const auto document =
          cases_
              ->add_document(exporter_, reference, {"end_user_certificate", "euc.pdf", "", "%PDF"})
              .value();
      std::int64_t advice = 0;
      if (!rule.on_draft) {
        ASSERT_TRUE(cases_->act(exporter_, reference, {Action::submit, "", {}, {}}).ok());
        ASSERT_TRUE(cases_->act(officer_, reference, {Action::start_review, "", {}, {}}).ok());
        if (std::string_view(rule.operation) == "request advice") {
          // Leave the case under review so that advice can be asked; the adviser id is
          // filled in below.
        } else {
          advice = cases_->request_advice(officer_, reference, adviser_.id, "Risk?").value();
          if (std::string_view(rule.operation) == "request information") {
            // request_information is open from advice_requested.
          }
        }
      }
      const User& u = actor(static_cast<Who>(who));
      Result<void> result = std::string_view(rule.operation) == "request advice"
                                ? drop(cases_->request_advice(u, reference, adviser_.id, "Risk?"))
                                : rule.run(*cases_, u, reference, document, advice);
      const Outcome got = result.ok()                                             ? ok
                          : result.error().kind() == ErrorKind::permission_denied ? denied
                          : result.error().kind() == ErrorKind::not_found         ? hidden
                                                                                  : kOutcomeCount;
      EXPECT_EQ(got, rule.expected[who])
          << rule.operation << " by " << kWhoNames[who] << ": "
          << (result.ok() ? std::string("allowed") : result.error().to_string());
    }
  }
}

}  // namespace
}  // namespace candor::licensing
