// The life of a licence case as a state machine: which action moves a case from which state
// to which, and who may take it. Pure rules, no storage: the licensing service (issue 6)
// records every transition with its actor, time and reason.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace candor::licensing {

enum class CaseState {
  draft,
  submitted,
  under_review,
  information_requested,
  answered,
  advice_requested,
  recommended,
  granted,
  granted_with_conditions,
  refused,
  withdrawn,
  amended,
  suspended,
  revoked,
  annulled,
};

enum class Action {
  submit,                 // exporter: the application is complete
  withdraw,               // exporter: before a decision
  start_review,           // officer
  request_information,    // officer asks the exporter
  answer,                 // exporter answers
  resume_review,          // officer takes the answered case back
  request_advice,         // officer asks a human-rights adviser
  recommend,              // officer, with the advice (if asked) on record
  grant,                  // officer
  grant_with_conditions,  // officer, naming the conditions
  refuse,                 // officer, citing the criteria
  amend,                  // officer, on a licence in force
  suspend,                // officer
  reinstate,              // officer, ends a suspension
  revoke,                 // officer
  annul,                  // officer, e.g. after an appeal
};

enum class Role { exporter, officer, adviser, admin };

std::string_view to_string(CaseState state);
std::string_view to_string(Action action);
std::string_view to_string(Role role);
std::optional<CaseState> state_from_string(std::string_view text);
std::optional<Action> action_from_string(std::string_view text);

// A licence is in force in these states.
bool in_force(CaseState state);
// No action but annul (and, for licences, the post-decision ones) follows these.
bool decided(CaseState state);

struct Transition {
  Action action;
  CaseState from;
  CaseState to;
  Role role;
  bool reason_required;  // A refusal, withdrawal, suspension, revocation or annulment says why.
};

// Every allowed transition, for documentation and exhaustive tests.
const std::vector<Transition>& transitions();

// The state `action` leads to from `from` when taken by `role`. Errors: failed_precondition
// "cannot refuse a case that is draft" for a transition that does not exist, and
// permission_denied "only an officer may refuse" for the wrong role; invalid_argument when
// a reason is required and `reason` is empty.
Result<CaseState> apply(CaseState from, Action action, Role role, std::string_view reason);

// The actions open from `state` to `role`, in a stable order, for the pages' buttons.
std::vector<Action> available(CaseState state, Role role);

}  // namespace candor::licensing
