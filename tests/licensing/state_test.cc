// Every allowed and every forbidden transition of the case state machine.
#include <gtest/gtest.h>

#include <set>

#include "licensing/state.h"

namespace candor::licensing {
namespace {

constexpr CaseState kAllStates[] = {CaseState::draft,
                                    CaseState::submitted,
                                    CaseState::under_review,
                                    CaseState::information_requested,
                                    CaseState::answered,
                                    CaseState::advice_requested,
                                    CaseState::recommended,
                                    CaseState::granted,
                                    CaseState::granted_with_conditions,
                                    CaseState::refused,
                                    CaseState::withdrawn,
                                    CaseState::amended,
                                    CaseState::suspended,
                                    CaseState::revoked,
                                    CaseState::annulled};
constexpr Action kAllActions[] = {Action::submit,         Action::withdraw,
                                  Action::start_review,   Action::request_information,
                                  Action::answer,         Action::resume_review,
                                  Action::request_advice, Action::recommend,
                                  Action::grant,          Action::grant_with_conditions,
                                  Action::refuse,         Action::amend,
                                  Action::suspend,        Action::reinstate,
                                  Action::revoke,         Action::annul};
constexpr Role kAllRoles[] = {Role::exporter, Role::officer, Role::adviser, Role::admin};

// The path, spelled out: draft -> submitted -> under review -> information requested
// <-> answered -> advice requested -> recommended -> decided; later amended, suspended,
// revoked or annulled.
TEST(CaseStateMachine, TheWholeLifeOfALicence) {
  CaseState s = CaseState::draft;
  const auto step = [&](Action a, Role r, const char* reason, CaseState expected) {
    auto next = apply(s, a, r, reason);
    ASSERT_TRUE(next.ok()) << to_string(a) << " from " << to_string(s) << ": "
                           << next.error().to_string();
    EXPECT_EQ(next.value(), expected) << to_string(a);
    s = next.value();
  };
  step(Action::submit, Role::exporter, "", CaseState::submitted);
  step(Action::start_review, Role::officer, "", CaseState::under_review);
  step(Action::request_information, Role::officer, "End-user certificate unsigned",
       CaseState::information_requested);
  step(Action::answer, Role::exporter, "", CaseState::answered);
  step(Action::request_information, Role::officer, "Which agency?",
       CaseState::information_requested);
  step(Action::answer, Role::exporter, "", CaseState::answered);
  step(Action::request_advice, Role::officer, "Criterion 2", CaseState::advice_requested);
  step(Action::recommend, Role::officer, "Grant with conditions", CaseState::recommended);
  step(Action::grant_with_conditions, Role::officer, "No re-export; reporting",
       CaseState::granted_with_conditions);
  EXPECT_TRUE(in_force(s));
  step(Action::amend, Role::officer, "Quantity corrected", CaseState::amended);
  step(Action::suspend, Role::officer, "Misuse reported", CaseState::suspended);
  EXPECT_FALSE(in_force(s));
  step(Action::reinstate, Role::officer, "Report unfounded", CaseState::amended);
  step(Action::revoke, Role::officer, "Misuse confirmed", CaseState::revoked);
  EXPECT_TRUE(decided(s));
}

// Every (state, action, role): allowed exactly when listed; otherwise the error says which
// rule stopped it.
TEST(CaseStateMachine, EveryTransitionAllowedOrRefusedWithAClearError) {
  std::set<std::tuple<CaseState, Action>> listed;
  for (const auto& t : transitions()) {
    EXPECT_TRUE(listed.emplace(t.from, t.action).second)
        << "two transitions for " << to_string(t.action) << " from " << to_string(t.from);
  }
  std::size_t allowed = 0;
  std::size_t refused = 0;
  for (const auto from : kAllStates) {
    for (const auto action : kAllActions) {
      const Transition* rule = nullptr;
      for (const auto& t : transitions()) {
        if (t.from == from && t.action == action) rule = &t;
      }
      for (const auto role : kAllRoles) {
        auto result = apply(from, action, role, "because");
        if (rule == nullptr) {
          ASSERT_FALSE(result.ok());
          EXPECT_EQ(result.error().kind(), ErrorKind::failed_precondition);
          EXPECT_EQ(result.error().message(), "cannot " + std::string(to_string(action)) +
                                                  " a case that is " +
                                                  std::string(to_string(from)));
          ++refused;
        } else if (rule->role != role) {
          ASSERT_FALSE(result.ok());
          EXPECT_EQ(result.error().kind(), ErrorKind::permission_denied);
          EXPECT_NE(result.error().message().find(
                        std::string("only ") +
                        (rule->role == Role::officer ? "an officer" : "an exporter")),
                    std::string::npos)
              << result.error().message();
          ++refused;
        } else {
          ASSERT_TRUE(result.ok()) << result.error().to_string();
          EXPECT_EQ(result.value(), rule->to);
          ++allowed;
          if (rule->reason_required) {
            auto blank = apply(from, action, role, "  ");
            ASSERT_FALSE(blank.ok());
            EXPECT_EQ(blank.error().kind(), ErrorKind::invalid_argument);
          }
        }
      }
    }
  }
  EXPECT_EQ(allowed, transitions().size());
  EXPECT_EQ(allowed + refused,
            std::size(kAllStates) * std::size(kAllActions) * std::size(kAllRoles));
}

TEST(CaseStateMachine, NothingLeavesAFinalState) {
  for (const auto state : {CaseState::withdrawn, CaseState::revoked, CaseState::annulled}) {
    for (const auto role : kAllRoles)
      EXPECT_TRUE(available(state, role).empty()) << to_string(state);
  }
  EXPECT_EQ(available(CaseState::refused, Role::officer), std::vector<Action>{Action::annul});
}

TEST(CaseStateMachine, AvailableActionsForTheButtons) {
  EXPECT_EQ(available(CaseState::draft, Role::exporter),
            (std::vector<Action>{Action::submit, Action::withdraw}));
  EXPECT_EQ(available(CaseState::recommended, Role::officer),
            (std::vector<Action>{Action::grant, Action::grant_with_conditions, Action::refuse}));
  EXPECT_TRUE(available(CaseState::recommended, Role::adviser).empty());
}

TEST(CaseStateMachine, NamesRoundTrip) {
  for (const auto s : kAllStates) EXPECT_EQ(state_from_string(to_string(s)), s);
  for (const auto a : kAllActions) EXPECT_EQ(action_from_string(to_string(a)), a);
  EXPECT_FALSE(state_from_string("approved").has_value());
}

}  // namespace
}  // namespace candor::licensing
