// A development set for name matching, mined from the real lists in ../shared/data (issue 19):
//   positives       one listed party's primary name against each of its strong aliases, in
//                   OFAC SDN 2021 and the UN consolidated list 2026 (the lists put many
//                   spellings of one party side by side);
//   hard negatives  two different entries of the same list and kind sharing words (family
//                   members, companies of a group, namesakes).
// Each pair is tagged with the phenomenon of ../shared/reference/NAME_MATCHING.md it shows,
// judged from the two texts alone. The set is written as CSV (name1,name2,schema,
// same_party,phenomenon,source), which `candor screen pairs --in` reads as it is, and scored here
// the way `candor screen pairs` scores: precision, recall and F1 at the default threshold, overall
// and per phenomenon. The file is made anew each run and never kept in the repository. Usage:
// screening_devset [DATA_DIR] [OUT.csv]
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/csv.h"
#include "devset.h"
#include "screening/index.h"
#include "screening/load.h"
#include "screening/match.h"
#include "screening/names.h"

using namespace candor;
using namespace candor::screening;
using candor::bench::Pair;

namespace {

// True when `text` has letters of a script other than Latin (code points from U+0370 on,
// leaving out the general punctuation block of typographic quotes and dashes).
bool other_script(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::uint32_t code = c;
    std::size_t length = 1;
    if (c >= 0xF0 && i + 3 < text.size()) {
      code = ((c & 0x07U) << 18) | ((text[i + 1] & 0x3FU) << 12) | ((text[i + 2] & 0x3FU) << 6) |
             (text[i + 3] & 0x3FU);
      length = 4;
    } else if (c >= 0xE0 && i + 2 < text.size()) {
      code = ((c & 0x0FU) << 12) | ((text[i + 1] & 0x3FU) << 6) | (text[i + 2] & 0x3FU);
      length = 3;
    } else if (c >= 0xC0 && i + 1 < text.size()) {
      code = ((c & 0x1FU) << 6) | (text[i + 1] & 0x3FU);
      length = 2;
    }
    if (code >= 0x370 && (code < 0x2000 || code > 0x206F)) return true;
    i += length;
  }
  return false;
}

std::string lower(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  for (const char ch : lower(text)) {
    if (std::isalnum(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80) {
      word.push_back(ch);
    } else if (!word.empty()) {
      out.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += p;
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The phenomenon a pair shows, from NAME_MATCHING.md's table, judged from the texts.
std::string phenomenon(const std::string& a, const std::string& b) {
  if (other_script(a) != other_script(b)) return "12 other script";
  const auto wa = words(a);
  const auto wb = words(b);
  if (joined(wa) == joined(wb)) return wa == wb ? "0 punctuation or case" : "1 joined or split";
  const auto has_digit = [](const std::string& t) {
    return std::any_of(t.begin(), t.end(), [](char c) { return std::isdigit(c) != 0; });
  };
  if (has_digit(a) != has_digit(b)) return "5 numbers";
  const std::set<std::string> sa(wa.begin(), wa.end());
  const std::set<std::string> sb(wb.begin(), wb.end());
  if (sa == sb) return "order";
  if (std::includes(sa.begin(), sa.end(), sb.begin(), sb.end()) ||
      std::includes(sb.begin(), sb.end(), sa.begin(), sa.end())) {
    return "14 subset";
  }
  const auto initials = [](const std::vector<std::string>& w) {
    std::string out;
    for (const auto& t : w) out.push_back(t[0]);
    return out;
  };
  if ((wa.size() == 1 && wb.size() > 2 && wa[0] == initials(wb)) ||
      (wb.size() == 1 && wa.size() > 2 && wb[0] == initials(wa))) {
    return "7 acronym";
  }
  // Every word of the shorter side near one of the longer: spelling or romanisation.
  const auto& shorter = wa.size() <= wb.size() ? wa : wb;
  const auto& longer = wa.size() <= wb.size() ? wb : wa;
  std::size_t near = 0;
  std::size_t same = 0;
  for (const auto& w : shorter) {
    std::size_t best = SIZE_MAX;
    for (const auto& v : longer) best = std::min(best, edit_distance(w, v));
    same += best == 0 ? 1 : 0;
    near += best <= std::max<std::size_t>(1, w.size() / 3) ? 1 : 0;
  }
  if (near == shorter.size()) {
    return same + 1 >= shorter.size() ? "15 typo or spelling" : "11 romanisation";
  }
  if (same > 0) return "partly shared words";
  return "no word shared";
}

std::string schema(EntityType type) {
  switch (type) {
    case EntityType::person: return "Person";
    case EntityType::organization: return "Organization";
    case EntityType::vessel: return "Vessel";
    case EntityType::aircraft: return "Airplane";
    case EntityType::unknown: break;
  }
  return "";
}

void mine(const SanctionsList& list, const std::string& source, std::vector<Pair>& positives,
          std::vector<Pair>& negatives) {
  // Positives: the primary name against each strong alias that is spelled differently.
  for (const auto& e : list.entities) {
    if (e.names.empty()) continue;
    int taken = 0;
    for (std::size_t i = 1; i < e.names.size() && taken < 4; ++i) {
      if (e.names[i].strength != NameStrength::strong) continue;
      if (lower(e.names[i].text) == lower(e.names[0].text)) continue;
      const std::string tag = phenomenon(e.names[i].text, e.names[0].text);
      if (tag == "0 punctuation or case") continue;
      positives.push_back({e.names[i].text, e.names[0].text, e.type, true, tag, source});
      ++taken;
    }
  }
  // Hard negatives: entries of the same kind sharing a word that few entries have.
  std::map<std::string, std::vector<std::size_t>> by_word;
  for (std::size_t k = 0; k < list.entities.size(); ++k) {
    const auto& e = list.entities[k];
    if (e.names.empty()) continue;
    const auto primary = words(e.names[0].text);
    for (const auto& w : std::set<std::string>(primary.begin(), primary.end())) {
      if (w.size() >= 3) by_word[w].push_back(k);
    }
  }
  std::set<std::pair<std::size_t, std::size_t>> seen;
  for (const auto& [word, entries] : by_word) {
    if (entries.size() < 2 || entries.size() > 40) continue;  // Common words say nothing.
    for (std::size_t i = 0; i + 1 < entries.size(); ++i) {
      const auto& x = list.entities[entries[i]];
      const auto& y = list.entities[entries[i + 1]];
      if (x.type != y.type || !seen.insert({entries[i], entries[i + 1]}).second) continue;
      const std::string tag = phenomenon(x.names[0].text, y.names[0].text);
      // The same words in other spacing or punctuation: one party listed twice, not two.
      if (tag == "0 punctuation or case" || tag == "1 joined or split") continue;
      negatives.push_back({x.names[0].text, y.names[0].text, x.type, false, tag, source});
    }
  }
}

struct Counts {
  int tp = 0, fp = 0, fn = 0, tn = 0;
  void add(bool truth, bool said) {
    if (truth && said) ++tp;
    if (!truth && said) ++fp;
    if (truth && !said) ++fn;
    if (!truth && !said) ++tn;
  }
  double precision() const { return tp + fp == 0 ? 1.0 : double(tp) / (tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : double(tp) / (tp + fn); }
  double f1() const {
    const double p = precision();
    const double r = recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string data = argc > 1 ? argv[1] : std::string(CANDOR_SOURCE_DIR) + "/../shared/data";
  const std::string out_path = argc > 2 ? argv[2] : "screening_devset.csv";
  std::vector<Pair> positives;
  std::vector<Pair> negatives;
  std::vector<SanctionsList> lists;
  for (const auto& [file, source] : std::vector<std::pair<std::string, std::string>>{
           {"/screening/ofac_sdn_2021.csv", "OFAC SDN 2021"},
           {"/screening/un_consolidated_2026.xml", "UN 2026"}}) {
    auto list = load_list(data + file, ListFormat::automatic);
    if (!list.ok()) {
      std::fprintf(stderr, "screening_devset: %s (is ../shared/data there?)\n",
                   list.error().to_string().c_str());
      return 1;
    }
    mine(*list, source, positives, negatives);
    lists.push_back(std::move(list).value());
  }
  // A fixed sample, the same every run, of at most 2,500 of each.
  std::mt19937 random(20261205);
  std::shuffle(positives.begin(), positives.end(), random);
  std::shuffle(negatives.begin(), negatives.end(), random);
  positives.resize(std::min<std::size_t>(positives.size(), 2500));
  negatives.resize(std::min<std::size_t>(negatives.size(), 2500));
  std::vector<Pair> pairs = positives;
  pairs.insert(pairs.end(), negatives.begin(), negatives.end());
  const std::size_t mined = pairs.size();
  const auto generated = bench::phenomena_pairs(lists, random);
  pairs.insert(pairs.end(), generated.begin(), generated.end());

  std::string csv =
      csv::format_record({"name1", "name2", "schema", "same_party", "phenomenon", "source"});
  const NamePreparer preparer;
  // As `screen pairs` scores without lists (every word the same) and with both lists given
  // (`--list`: words weigh what they weigh in a screen against them).
  const Index index(lists, preparer);
  const TokenWeight listed = [&index](const NameToken& t) { return index.token_weight(t); };
  Counts all;
  Counts all_listed;
  std::map<std::string, Counts> by_phenomenon;
  std::map<std::string, Counts> by_phenomenon_listed;
  const char* show = std::getenv("DEVSET_SHOW");
  for (const auto& p : pairs) {
    csv += csv::format_record(
        {p.a, p.b, schema(p.type), p.match ? "true" : "false", p.phenomenon, p.source});
    const auto a = preparer.prepare(p.a, p.type);
    const auto b = preparer.prepare(p.b, p.type);
    const std::string row = (p.source == "generated" ? "varied  " : "aliases ") + p.phenomenon;
    const double plain = score_names(a, b, default_token_weight).score;
    const bool said = plain >= kDefaultThreshold;
    // DEVSET_SHOW=<row prefix> prints the pairs of those rows that are judged wrongly.
    if (show != nullptr && row.starts_with(show) && said != p.match) {
      std::printf("  %s %.3f %s | %s\n", p.match ? "missed " : "false  ", plain, p.a.c_str(),
                  p.b.c_str());
    }
    all.add(p.match, said);
    by_phenomenon[row].add(p.match, said);
    const bool said_listed = score_names(a, b, listed).score >= kDefaultThreshold;
    all_listed.add(p.match, said_listed);
    by_phenomenon_listed[row].add(p.match, said_listed);
  }
  if (FILE* f = std::fopen(out_path.c_str(), "w"); f != nullptr) {
    std::fwrite(csv.data(), 1, csv.size(), f);
    std::fclose(f);
  } else {
    std::fprintf(stderr, "screening_devset: cannot write %s\n", out_path.c_str());
    return 1;
  }
  std::printf(
      "development set: %zu pairs in %s: %zu mined from alias groups (%zu positives, %zu hard "
      "negatives), %zu listed names varied by phenomenon\n",
      pairs.size(), out_path.c_str(), mined, positives.size(), negatives.size(), generated.size());
  const auto table = [](const char* title, const std::map<std::string, Counts>& rows,
                        const Counts& total) {
    std::printf("%s, threshold %.2f:\n", title, kDefaultThreshold);
    std::printf("  %-34s %6s %6s %6s %6s %9s %6s %6s\n", "phenomenon", "pos", "neg", "TP", "FP",
                "precision", "recall", "F1");
    const auto line = [](const std::string& name, const Counts& c) {
      std::printf("  %-34s %6d %6d %6d %6d %9.3f %6.3f %6.3f\n", name.c_str(), c.tp + c.fn,
                  c.fp + c.tn, c.tp, c.fp, c.precision(), c.recall(), c.f1());
    };
    for (const auto& [name, counts] : rows) line(name, counts);
    line("all", total);
  };
  table("`candor screen pairs` (every word the same weight)", by_phenomenon, all);
  table("`candor screen pairs --list` OFAC SDN 2021 and UN 2026 (list word weights)",
        by_phenomenon_listed, all_listed);
  return 0;
}
