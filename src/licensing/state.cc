#include "licensing/state.h"

#include <array>
#include <string>

namespace candor::licensing {
namespace {

constexpr std::array<std::pair<CaseState, std::string_view>, 15> kStates = {{
    {CaseState::draft, "draft"},
    {CaseState::submitted, "submitted"},
    {CaseState::under_review, "under_review"},
    {CaseState::information_requested, "information_requested"},
    {CaseState::answered, "answered"},
    {CaseState::advice_requested, "advice_requested"},
    {CaseState::recommended, "recommended"},
    {CaseState::granted, "granted"},
    {CaseState::granted_with_conditions, "granted_with_conditions"},
    {CaseState::refused, "refused"},
    {CaseState::withdrawn, "withdrawn"},
    {CaseState::amended, "amended"},
    {CaseState::suspended, "suspended"},
    {CaseState::revoked, "revoked"},
    {CaseState::annulled, "annulled"},
}};

constexpr std::array<std::pair<Action, std::string_view>, 16> kActions = {{
    {Action::submit, "submit"},
    {Action::withdraw, "withdraw"},
    {Action::start_review, "start_review"},
    {Action::request_information, "request_information"},
    {Action::answer, "answer"},
    {Action::resume_review, "resume_review"},
    {Action::request_advice, "request_advice"},
    {Action::recommend, "recommend"},
    {Action::grant, "grant"},
    {Action::grant_with_conditions, "grant_with_conditions"},
    {Action::refuse, "refuse"},
    {Action::amend, "amend"},
    {Action::suspend, "suspend"},
    {Action::reinstate, "reinstate"},
    {Action::revoke, "revoke"},
    {Action::annul, "annul"},
}};

std::vector<Transition> build() {
  using S = CaseState;
  using A = Action;
  const Role exporter = Role::exporter;
  const Role officer = Role::officer;
  std::vector<Transition> t = {
      {A::submit, S::draft, S::submitted, exporter, false},
      {A::start_review, S::submitted, S::under_review, officer, false},
      {A::request_information, S::under_review, S::information_requested, officer, true},
      {A::request_information, S::answered, S::information_requested, officer, true},
      {A::request_information, S::advice_requested, S::information_requested, officer, true},
      {A::answer, S::information_requested, S::answered, exporter, false},
      {A::resume_review, S::answered, S::under_review, officer, false},
      {A::request_advice, S::under_review, S::advice_requested, officer, true},
      {A::request_advice, S::answered, S::advice_requested, officer, true},
      {A::recommend, S::under_review, S::recommended, officer, true},
      {A::recommend, S::answered, S::recommended, officer, true},
      {A::recommend, S::advice_requested, S::recommended, officer, true},
      {A::grant, S::recommended, S::granted, officer, false},
      {A::grant_with_conditions, S::recommended, S::granted_with_conditions, officer, true},
      {A::refuse, S::recommended, S::refused, officer, true},
  };
  for (const S open : {S::draft, S::submitted, S::under_review, S::information_requested,
                       S::answered, S::advice_requested, S::recommended}) {
    t.push_back({A::withdraw, open, S::withdrawn, exporter, true});
  }
  for (const S licence : {S::granted, S::granted_with_conditions, S::amended}) {
    t.push_back({A::amend, licence, S::amended, officer, true});
    t.push_back({A::suspend, licence, S::suspended, officer, true});
    t.push_back({A::revoke, licence, S::revoked, officer, true});
    t.push_back({A::annul, licence, S::annulled, officer, true});
  }
  t.push_back({A::reinstate, S::suspended, S::amended, officer, true});
  t.push_back({A::revoke, S::suspended, S::revoked, officer, true});
  t.push_back({A::annul, S::suspended, S::annulled, officer, true});
  t.push_back({A::annul, S::refused, S::annulled, officer, true});
  return t;
}

std::string with_article(std::string_view state) {
  const bool vowel =
      !state.empty() && std::string_view("aeiou").find(state.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(state);
}

}  // namespace

std::string_view to_string(CaseState state) {
  for (const auto& [s, name] : kStates) {
    if (s == state) return name;
  }
  return "draft";
}

std::string_view to_string(Action action) {
  for (const auto& [a, name] : kActions) {
    if (a == action) return name;
  }
  return "submit";
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::exporter: return "exporter";
    case Role::officer: return "officer";
    case Role::adviser: return "adviser";
    case Role::admin: return "admin";
  }
  return "exporter";
}

std::optional<CaseState> state_from_string(std::string_view text) {
  for (const auto& [s, name] : kStates) {
    if (name == text) return s;
  }
  return std::nullopt;
}

std::optional<Action> action_from_string(std::string_view text) {
  for (const auto& [a, name] : kActions) {
    if (name == text) return a;
  }
  return std::nullopt;
}

bool in_force(CaseState state) {
  return state == CaseState::granted || state == CaseState::granted_with_conditions ||
         state == CaseState::amended;
}

bool decided(CaseState state) {
  switch (state) {
    case CaseState::granted:
    case CaseState::granted_with_conditions:
    case CaseState::refused:
    case CaseState::withdrawn:
    case CaseState::amended:
    case CaseState::suspended:
    case CaseState::revoked:
    case CaseState::annulled: return true;
    default: return false;
  }
}

const std::vector<Transition>& transitions() {
  static const std::vector<Transition> all = build();
  return all;
}

Result<CaseState> apply(CaseState from, Action action, Role role, std::string_view reason) {
  const Transition* found = nullptr;
  for (const auto& t : transitions()) {
    if (t.action == action && t.from == from) found = &t;
  }
  if (found == nullptr) {
    return Error::failed_precondition("cannot " + std::string(to_string(action)) +
                                      " a case that is " + std::string(to_string(from)));
  }
  if (found->role != role) {
    return Error::permission_denied("only " + with_article(to_string(found->role)) + " may " +
                                    std::string(to_string(action)) + " a case that is " +
                                    std::string(to_string(from)));
  }
  bool blank = true;
  for (const char c : reason) blank = blank && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  if (found->reason_required && blank) {
    return Error::invalid_argument("a reason is required to " + std::string(to_string(action)));
  }
  return found->to;
}

std::vector<Action> available(CaseState state, Role role) {
  std::vector<Action> out;
  for (const auto& [action, _] : kActions) {
    for (const auto& t : transitions()) {
      if (t.action == action && t.from == state && t.role == role) {
        out.push_back(action);
        break;
      }
    }
  }
  return out;
}

}  // namespace candor::licensing
