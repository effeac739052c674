#include "catalogue/evaluate.h"

#include <algorithm>

namespace candor::catalogue {
void append_unique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& f : from) {
    if (std::find(to.begin(), to.end(), f) == to.end()) to.push_back(f);
  }
}

namespace {

void append(std::vector<Reason>& to, const std::vector<Reason>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

Evaluation evaluate_fact(const Condition& c, const FactSet& facts) {
  const auto value = facts.boolean(c.fact);
  if (!value) return {Truth::unknown, {}, {c.fact}, {}};
  if (*value != c.expected) return {Truth::no, {}, {}, {}};
  return {Truth::yes, {{c.text, c.ref, c.fact}}, {}, {}};
}

// all: yes when every child is; no when any is; otherwise the unknown children decide.
// any: the mirror image.
Evaluation evaluate_list(const Condition& c, const FactSet& facts, const Catalogue& catalogue) {
  const bool all = c.op == Condition::Op::all;
  const Truth decisive = all ? Truth::no : Truth::yes;
  Evaluation result{all ? Truth::yes : Truth::no, {}, {}, {}};
  bool any_unknown = false;
  for (const auto& child : c.children) {
    Evaluation e = evaluate(child, facts, catalogue);
    if (e.truth == decisive) {
      if (all) return {Truth::no, {}, {}, {}};
      result.truth = Truth::yes;
      append(result.reasons, e.reasons);
      append_unique(result.lifting_facts, e.lifting_facts);
    } else if (e.truth == Truth::unknown) {
      any_unknown = true;
      append_unique(result.unknown_facts, e.unknown_facts);
    } else if (all) {
      append(result.reasons, e.reasons);
      append_unique(result.lifting_facts, e.lifting_facts);
    }
  }
  if (!all && result.truth == Truth::yes) {
    result.unknown_facts.clear();
    return result;
  }
  if (any_unknown) {
    result.truth = Truth::unknown;
    if (all) result.reasons.clear();
  }
  return result;
}

}  // namespace

Evaluation evaluate(const Condition& c, const FactSet& facts, const Catalogue& catalogue) {
  switch (c.op) {
    case Condition::Op::fact: return evaluate_fact(c, facts);
    case Condition::Op::all:
    case Condition::Op::any: return evaluate_list(c, facts, catalogue);
    case Condition::Op::negate: {
      Evaluation inner = evaluate(c.children.at(0), facts, catalogue);
      if (inner.truth == Truth::unknown) return inner;
      if (inner.truth == Truth::yes) return {Truth::no, {}, {}, {}};
      return {Truth::yes, {{c.text, c.ref, ""}}, {}, {}};
    }
    case Condition::Op::entry: {
      const ControlEntry* target = catalogue.entry(c.entry);
      Evaluation inner = capability_of(*target, facts, catalogue);
      if (inner.truth == Truth::yes) {
        inner.reasons.insert(inner.reasons.begin(), Reason{c.text, c.ref, ""});
      }
      return inner;
    }
  }
  return {};
}

Evaluation capability_of(const ControlEntry& entry, const FactSet& facts,
                         const Catalogue& catalogue) {
  Evaluation criteria = evaluate(entry.criteria, facts, catalogue);
  if (criteria.truth == Truth::no) return criteria;
  for (const auto& x : entry.exclusions) {
    Evaluation e = evaluate(x.when, facts, catalogue);
    if (e.truth == Truth::yes) return {Truth::no, {}, {}, {}};
    if (e.truth == Truth::unknown) append_unique(criteria.lifting_facts, e.unknown_facts);
  }
  return criteria;
}

}  // namespace candor::catalogue
