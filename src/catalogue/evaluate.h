// Three-valued evaluation of conditions over known and unknown facts. Internal to catalogue.
#pragma once

#include <string>
#include <vector>

#include "catalogue/catalogue.h"
#include "catalogue/classify.h"

namespace candor::catalogue {

enum class Truth { no, yes, unknown };

struct Evaluation {
  Truth truth = Truth::unknown;
  std::vector<Reason> reasons;             // The statements that made it true.
  std::vector<std::string> unknown_facts;  // The facts that could still decide it.
  // For a yes that rests on an entry whose exclusions are not established: the facts that
  // would establish one and so turn the yes into a no.
  std::vector<std::string> lifting_facts;
};

// Appends the facts of `from` that `to` does not hold yet, keeping the order.
void append_unique(std::vector<std::string>& to, const std::vector<std::string>& from);

// Kleene logic: unknown facts make a condition unknown unless the known ones decide it.
Evaluation evaluate(const Condition& condition, const FactSet& facts, const Catalogue& catalogue);

// Whether an item has the capability an entry describes: its criteria hold and none of its
// exclusions is established (an exclusion with unknown facts does not take effect; its facts
// become lifting_facts). The entry's kinds are not checked: "software for 5A001.j equipment".
Evaluation capability_of(const ControlEntry& entry, const FactSet& facts,
                         const Catalogue& catalogue);

}  // namespace candor::catalogue
