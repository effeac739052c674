// The control list as data: the cyber-surveillance entries of Annex I, their notes and
// exclusions, the Art. 5 catch-all, and the capability facts they are written in. Loaded from
// the YAML files in data/controls/ (compiled into the binary, or from a folder an authority
// maintains) and validated at load, with errors naming the file and line.
//
// A Catalogue is immutable after load and safe to share between threads.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/facts.h"
#include "core/error.h"

namespace candor::catalogue {

// A condition over capability facts: a fact test, all/any/not of conditions, or "the item
// has the capability of entry X" (X's criteria hold and none of X's exclusions apply).
struct Condition {
  enum class Op { fact, all, any, negate, entry };
  Op op = Op::all;
  std::string fact;      // Op::fact
  bool expected = true;  // Op::fact
  std::string entry;     // Op::entry
  std::vector<Condition> children;
  std::string ref;   // The sub-paragraph it comes from, e.g. "5A001.j.1.a".
  std::string text;  // Plain-language statement of what holds when it is true.
};

struct Citation {
  std::string act;
  std::string annex;
  std::string entry;
  std::string url;
};

struct Exclusion {
  std::string id;
  std::string ref;
  std::string note;
  Condition when;
};

struct ControlEntry {
  std::string code;
  std::string title;
  std::string category;  // intrusion_software, ip_network_surveillance, mobile_interception, ...
  std::string summary;
  std::vector<ItemKind> kinds;
  Condition criteria;
  std::vector<Exclusion> exclusions;
  std::string regime;
  int year = 0;
  Citation citation;
  std::string source_file;
  int source_line = 0;
};

struct CatchAll {
  std::string code;
  std::string title;
  std::string summary;
  Condition when;
  std::vector<Condition> indicators;  // Examples from the guidelines, reported as reasons.
  Citation citation;
  Citation guidance;
};

struct SourceFile {
  std::string name;
  std::string content;
};

class Catalogue {
 public:
  // Errors: invalid_argument naming the file and line of the first problem.
  static Result<Catalogue> load(std::span<const SourceFile> files);
  // Reads every *.yaml file in `folder`.
  static Result<Catalogue> load_folder(const std::string& folder);
  // The catalogue compiled into candor. REQUIRES: it validates (a test checks).
  static const Catalogue& builtin();

  const std::vector<FactDefinition>& facts() const { return facts_; }
  const FactDefinition* fact(std::string_view id) const;
  const std::vector<ControlEntry>& entries() const { return entries_; }
  const ControlEntry* entry(std::string_view code) const;
  const CatchAll& catch_all() const { return catch_all_; }
  // "controls@" and the first 12 hex digits of a SHA-256 over the files, so that a
  // classification can say which data it used.
  const std::string& data_version() const { return data_version_; }

 private:
  friend class Loader;
  std::vector<FactDefinition> facts_;
  std::vector<ControlEntry> entries_;
  CatchAll catch_all_;
  std::string data_version_;
};

}  // namespace candor::catalogue
