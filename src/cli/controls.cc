#include <cstdio>
#include <sstream>

#include "catalogue/catalogue.h"
#include "cli/cli.h"

namespace candor::cli {
namespace {

std::string kinds_text(const catalogue::ControlEntry& e) {
  std::string out;
  for (const auto kind : e.kinds) {
    if (!out.empty()) out += ", ";
    out += catalogue::to_string(kind);
  }
  return out;
}

void write_condition(std::ostringstream& out, const catalogue::Condition& c, int depth) {
  const std::string indent(static_cast<std::size_t>(depth) * 2 + 4, ' ');
  using Op = catalogue::Condition::Op;
  switch (c.op) {
    case Op::fact:
      out << indent << "- " << c.text << "  [" << c.fact << " = " << (c.expected ? "yes" : "no")
          << (c.ref.empty() ? "" : ", " + c.ref) << "]\n";
      return;
    case Op::entry:
      out << indent << "- " << c.text << "  [capability of " << c.entry << "]\n";
      return;
    case Op::all: out << indent << "all of:\n"; break;
    case Op::any: out << indent << "any of:\n"; break;
    case Op::negate: out << indent << "not:\n"; break;
  }
  for (const auto& child : c.children) write_condition(out, child, depth + 1);
}

}  // namespace

int run_controls_list(const std::string& folder) {
  std::optional<catalogue::Catalogue> owned;
  const catalogue::Catalogue* controls = &catalogue::Catalogue::builtin();
  if (!folder.empty()) {
    auto loaded = catalogue::Catalogue::load_folder(folder);
    if (!loaded.ok()) return report(loaded.error());
    owned = std::move(loaded).value();
    controls = &owned.value();
  }
  for (const auto& e : controls->entries()) {
    std::printf("%-10s %-24s %s\n", e.code.c_str(), e.category.c_str(), e.title.c_str());
  }
  const auto& art5 = controls->catch_all();
  std::printf("%-10s %-24s %s\n", art5.code.c_str(), "catch_all", art5.title.c_str());
  return kExitOk;
}

int run_controls_show(const std::string& code) {
  const auto& controls = catalogue::Catalogue::builtin();
  std::ostringstream out;
  if (code == controls.catch_all().code || code == "Art.5" || code == "art5") {
    const auto& art5 = controls.catch_all();
    out << art5.code << "  " << art5.title << "\n\n" << art5.summary << "\n\nMay apply when:\n";
    write_condition(out, art5.when, 0);
    out << "\nCitation: " << art5.citation.act << " " << art5.citation.entry << " <"
        << art5.citation.url << ">\n";
  } else {
    const auto* e = controls.entry(code);
    if (e == nullptr) {
      return report(
          Error::invalid_argument("no such entry; 'candor controls list' shows them", code));
    }
    out << e->code << "  " << e->title << "\n\n"
        << e->summary << "\n\nApplies to: " << kinds_text(*e) << "\nCriteria:\n";
    write_condition(out, e->criteria, 0);
    for (const auto& x : e->exclusions) {
      out << "\nExclusion " << x.ref << ":\n  " << x.note << "\n  Applies when:\n";
      write_condition(out, x.when, 0);
    }
    out << "\nSource: " << e->regime << " (" << e->year << ")\nCitation: " << e->citation.act
        << ", " << e->citation.annex << ", " << e->citation.entry << " <" << e->citation.url
        << ">\n"
        << "Data: " << controls.data_version() << "\n";
  }
  const std::string text = out.str();
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

int run_controls_facts() {
  for (const auto& f : catalogue::Catalogue::builtin().facts()) {
    std::printf("%-48s %s\n", f.id.c_str(), f.question.c_str());
  }
  return kExitOk;
}

}  // namespace candor::cli
