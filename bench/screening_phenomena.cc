// The phenomena part of the development set: real listed names, varied the ways
// NAME_MATCHING.md's table says names vary. The variations are general rules (join two words,
// put digits for letters, drop a middle name...) applied to whatever names the lists hold, so
// that the set measures the rules of matching rather than remembered examples. The few facts
// the variations need (nicknames, number words, legal forms in other languages) are kept
// short here and are not the matcher's tables: a rule that only works for the generator's
// own entries would show up as weak on the mined pairs.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string_view>

#include "devset.h"

namespace candor::bench {
namespace {

using screening::EntityType;
using screening::SanctionsList;

constexpr std::size_t kPerPhenomenon = 80;

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  for (const char ch : text) {
    if (ch == ' ') {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

std::string join(const std::vector<std::string>& words, std::string_view sep = " ") {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

bool letters_only(const std::string& word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '-' || c == '\'';
  });
}

bool ascii_words(const std::vector<std::string>& words) {
  return std::all_of(words.begin(), words.end(), [](const std::string& w) {
    return std::all_of(w.begin(), w.end(), [](char c) { return (c & 0x80) == 0; });
  });
}

struct Named {
  std::vector<std::string> words;  // Lower case.
  EntityType type;
};

// Primary names in plain Latin letters, persons and organisations apart.
void pools(const std::vector<SanctionsList>& lists, std::vector<Named>& persons,
           std::vector<Named>& orgs) {
  for (const auto& list : lists) {
    for (const auto& e : list.entities) {
      if (e.names.empty()) continue;
      std::string text = e.names.front().text;
      std::replace(text.begin(), text.end(), ',', ' ');
      auto words = split(text);
      if (words.size() < 2 || words.size() > 7 || !ascii_words(words)) continue;
      if (e.type == EntityType::person && std::all_of(words.begin(), words.end(), letters_only)) {
        persons.push_back({words, e.type});
      } else if (e.type == EntityType::organization) {
        orgs.push_back({words, e.type});
      }
    }
  }
}

class Maker {
 public:
  Maker(std::vector<Pair>& out, std::mt19937& random) : out_(out), random_(random) {}

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  // Up to kPerPhenomenon pairs from `vary` over a shuffled pool; vary returns false to skip.
  template <typename F>
  void each(std::vector<Named> pool, const std::string& tag, bool match, F&& vary) {
    std::shuffle(pool.begin(), pool.end(), random_);
    std::size_t made = 0;
    for (const auto& named : pool) {
      if (made >= kPerPhenomenon) break;
      std::string a;
      std::string b;
      if (!vary(named.words, a, b) || a == b || a.empty() || b.empty()) continue;
      out_.push_back({a, b, named.type, match, tag, "generated"});
      ++made;
    }
  }

 private:
  std::vector<Pair>& out_;
  std::mt19937& random_;
};

// Each table: a written form and others that mean the same. Short on purpose (see above).
const std::map<std::string, std::vector<std::string>>& nicknames() {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"william", {"bill", "will"}},
      {"robert", {"bob", "rob"}},
      {"richard", {"dick", "rick"}},
      {"aleksandr", {"sasha", "sanya"}},
      {"alexander", {"alex", "sasha"}},
      {"mikhail", {"misha"}},
      {"jose", {"pepe"}},
      {"james", {"jim", "jimmy"}},
      {"joseph", {"joe"}},
      {"vladimir", {"volodya"}},
      {"dmitry", {"dima"}},
      {"dmitriy", {"dima"}},
      {"yevgeniy", {"zhenya"}},
      {"nikolai", {"kolya"}},
      {"ivan", {"vanya"}},
      {"francisco", {"paco", "pancho"}},
      {"ibrahim", {"ibo"}},
      {"mohammed", {"hamoudi"}},
      {"elizabeth", {"liz", "beth"}},
      {"margaret", {"maggie", "peggy"}},
      {"anatoly", {"tolya"}},
      {"sergei", {"seryozha"}},
      {"sergey", {"seryozha"}},
      {"andrei", {"andryusha"}},
      {"michael", {"mike"}},
      {"thomas", {"tom"}},
  };
  return table;
}

std::string number_word(int n) {
  static constexpr std::array<const char*, 21> kWords = {
      "zero",     "one",     "two",     "three",     "four",     "five",     "six",
      "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
  if (n >= 0 && n <= 20) return kWords[static_cast<std::size_t>(n)];
  if (n < 100 && n % 10 == 0) {
    static constexpr std::array<const char*, 10> kTens = {
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    return kTens[static_cast<std::size_t>(n / 10)];
  }
  if (n < 100) return number_word(n - n % 10) + "-" + number_word(n % 10);
  return std::to_string(n);
}

std::string roman(int n) {
  static constexpr std::array<std::pair<int, const char*>, 6> kParts = {
      {{40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}}};
  std::string out;
  for (const auto& [value, text] : kParts) {
    while (n >= value) {
      out += text;
      n -= value;
    }
  }
  return out;
}

bool is_legal_form(const std::string& w) {
  static const std::set<std::string> kForms = {"llc",  "ltd",  "limited", "co",  "company", "jsc",
                                               "ooo",  "gmbh", "sa",      "ag",  "inc",     "corp",
                                               "pjsc", "cjsc", "fze",     "llp", "plc"};
  return kForms.contains(w);
}

// Spelled-out, translated and misspelled forms of a few legal forms.
const std::map<std::string, std::vector<std::string>>& legal_form_forms() {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"llc",
       {"limited liability company", "obshchestvo s ogranichennoy otvetstvennostyu", "ooo",
        "l.l.c."}},
      {"ooo", {"llc", "limited liability company", "o.o.o."}},
      {"ltd", {"limited", "limted", "ltd."}},
      {"limited", {"ltd", "limitd"}},
      {"co", {"company", "co."}},
      {"company", {"co", "compny"}},
      {"jsc", {"joint stock company", "aktsionernoye obshchestvo", "ao"}},
      {"gmbh", {"gesellschaft mit beschraenkter haftung", "g.m.b.h."}},
      {"ag", {"aktiengesellschaft", "aktiengesellshaft"}},
      {"sa", {"societe anonyme", "s.a.", "sociedad anonima"}},
      {"inc", {"incorporated", "inc."}},
      {"corp", {"corporation", "corp."}},
  };
  return table;
}

// Spelling rules that turn one romanisation into another, each applied where it fits.
std::string respell(const std::string& word, std::size_t rule) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kRules = {{
      {"iy", "y"},
      {"yev", "ev"},
      {"kh", "h"},
      {"ks", "x"},
      {"ya", "ia"},
      {"yu", "iu"},
      {"ei", "ey"},
      {"ou", "u"},
      {"oo", "u"},
      {"ee", "i"},
      {"sh", "sch"},
      {"zh", "j"},
      {"w", "v"},
      {"ii", "i"},
      {"dzh", "j"},
      {"u", "ou"},
  }};
  const auto& [from, to] = kRules[rule % kRules.size()];
  const auto at = word.find(from);
  if (at == std::string::npos) return word;
  return word.substr(0, at) + std::string(to) + word.substr(at + from.size());
}

}  // namespace

std::string with_typo(const std::string& name, std::mt19937& random) {
  auto words = split(name);
  std::vector<std::size_t> long_words;
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (words[k].size() >= 4 && letters_only(words[k])) long_words.push_back(k);
  }
  if (long_words.empty()) return join(words);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  std::string& w = words[long_words[pick(long_words.size())]];
  static constexpr std::string_view kNeighbours = "qwertyuiopasdfghjklzxcvbnm";
  switch (pick(5)) {
    case 0: {  // Two letters swapped.
      const std::size_t at = pick(w.size() - 1);
      std::swap(w[at], w[at + 1]);
      break;
    }
    case 1: w.erase(pick(w.size()), 1); break;  // A letter dropped, the first one too.
    case 2: {                                   // A letter doubled.
      const std::size_t at = pick(w.size());
      w.insert(at, 1, w[at]);
      break;
    }
    case 3: {  // A letter replaced by its neighbour on the keyboard.
      const std::size_t at = 1 + pick(w.size() - 1);
      const auto k = kNeighbours.find(w[at]);
      if (k != std::string_view::npos) w[at] = kNeighbours[(k + 1) % kNeighbours.size()];
      break;
    }
    default: w.erase(0, 1); break;  // The first letter lost.
  }
  return join(words);
}

std::vector<Pair> phenomena_pairs(const std::vector<SanctionsList>& lists, std::mt19937& random) {
  std::vector<Named> persons;
  std::vector<Named> orgs;
  pools(lists, persons, orgs);
  std::vector<Pair> out;
  Maker make(out, random);
  std::vector<Named> all = persons;
  all.insert(all.end(), orgs.begin(), orgs.end());

  make.each(all, "1 joined or split", true, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    const std::size_t at = make.pick(v.size() - 1);
    if (v[at].size() < 3 || v[at + 1].size() < 3 || !letters_only(v[at]) ||
        !letters_only(v[at + 1])) {
      return false;
    }
    v[at] += v[at + 1];
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    a = join(v);
    b = join(w);
    return true;
  });
  make.each(all, "1 joined or split", true, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    const std::size_t at = make.pick(v.size());
    if (v[at].size() < 8 || !letters_only(v[at])) return false;
    v[at].insert(v[at].size() / 2, " ");
    a = join(v);
    b = join(w);
    return true;
  });
  make.each(persons, "2 digits for letters", true,
            [&](const auto& w, std::string& a, std::string& b) {
              auto v = w;
              static constexpr std::string_view kFrom = "oieas";
              static constexpr std::string_view kTo = "01345";
              std::size_t changed = 0;
              for (auto& word : v) {
                for (char& c : word) {
                  const auto k = kFrom.find(c);
                  if (k != std::string_view::npos && changed < 2 && make.pick(3) == 0) {
                    c = kTo[k];
                    ++changed;
                  }
                }
              }
              a = join(v);
              b = join(w);
              return changed > 0;
            });
  // Initialisms: an organisation's short word of consonants read as letters.
  const auto initialism = [](const std::string& word) {
    return word.size() >= 2 && word.size() <= 4 && letters_only(word) &&
           word.find_first_of("aeiouy") == std::string::npos;
  };
  make.each(orgs, "3 initialism", true, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    for (auto& word : v) {
      if (!initialism(word) || is_legal_form(word)) continue;
      const bool dots = make.pick(2) == 0;
      std::string written;
      for (const char c : word) {
        if (!dots && !written.empty()) written += ' ';
        written += c;
        if (dots) written += '.';
      }
      word = written;
      a = join(v);
      b = join(w);
      return true;
    }
    return false;
  });
  make.each(orgs, "3 initialism", false, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    for (auto& word : v) {
      if (!initialism(word) || is_legal_form(word) || word.size() < 3) continue;
      std::string letters = word;
      std::swap(letters[0], letters[1]);
      if (letters == word) continue;
      std::string dotted;
      for (const char c : letters) (dotted += c) += '.';
      word = dotted;
      a = join(v);
      b = join(w);
      return true;
    }
    return false;
  });
  make.each(orgs, "4 and", true, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    for (auto& word : v) {
      if (word == "and") {
        word = make.pick(2) == 0 ? "&" : "+";
      } else if (word == "&") {
        word = "and";
      } else {
        continue;
      }
      a = join(v);
      b = join(w);
      return true;
    }
    return false;
  });
  // Numbers: an organisation's number written as a word or in Roman numerals, and the next
  // number for a different one.
  for (const bool same : {true, false}) {
    make.each(orgs, "5 numbers", same, [&](const auto& w, std::string& a, std::string& b) {
      auto v = w;
      for (auto& word : v) {
        if (word.empty() || word.size() > 2 ||
            !std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          continue;
        }
        int n = std::stoi(word);
        if (n == 0) continue;
        if (!same) n += 1;
        word = make.pick(2) == 0 ? number_word(n) : roman(n);
        a = join(v);
        b = join(w);
        return true;
      }
      return false;
    });
  }
  make.each(persons, "6 nickname", true, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    for (auto& word : v) {
      const auto found = nicknames().find(word);
      if (found == nicknames().end()) continue;
      word = found->second[make.pick(found->second.size())];
      a = join(v);
      b = join(w);
      return true;
    }
    return false;
  });
  make.each(orgs, "7 acronym", true, [&](const auto& w, std::string& a, std::string& b) {
    static const std::set<std::string> kSmall = {"of", "the", "and", "for", "de", "&", "in"};
    std::string letters;
    std::vector<std::string> rest;
    std::size_t content = 0;
    for (const auto& word : w) {
      if (is_legal_form(word)) {
        rest.push_back(word);
      } else if (!kSmall.contains(word)) {
        if (!letters_only(word)) return false;
        letters += word[0];
        ++content;
      }
    }
    if (content < 3 || content > 6) return false;
    rest.insert(rest.begin(), letters);
    a = join(rest);
    b = join(w);
    return true;
  });
  make.each(persons, "8 title", true, [&](const auto& w, std::string& a, std::string& b) {
    static constexpr std::array<const char*, 9> kTitles = {"General",        "Gen.",   "Dr.",
                                                           "Colonel",        "Mr.",    "President",
                                                           "His Excellency", "Sheikh", "Prof."};
    a = std::string(kTitles[make.pick(kTitles.size())]) + " " + join(w);
    b = join(w);
    return true;
  });
  make.each(orgs, "9 legal form", true, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    for (auto& word : v) {
      const auto found = legal_form_forms().find(word);
      if (found == legal_form_forms().end()) continue;
      word = found->second[make.pick(found->second.size())];
      a = join(v);
      b = join(w);
      return true;
    }
    return false;
  });
  // A different company of the same family: the word before the legal form replaced.
  make.each(orgs, "9 legal form", false, [&](const auto& w, std::string& a, std::string& b) {
    static constexpr std::array<const char*, 8> kTrades = {
        "holding", "bank", "trading", "shipping", "logistics", "energy", "engineering", "oil"};
    if (w.size() < 3 || !is_legal_form(w.back())) return false;
    auto v = w;
    std::string& core = v[v.size() - 2];
    if (is_legal_form(core)) return false;
    core = kTrades[make.pick(kTrades.size())];
    a = join(v);
    b = join(w);
    return core != w[w.size() - 2];
  });
  make.each(all, "10 truncation", true, [&](const auto& w, std::string& a, std::string& b) {
    b = join(w);
    if (b.size() <= 38) return false;
    a = b.substr(0, 35);
    return a.back() != ' ' && b[35] != ' ';
  });
  make.each(persons, "11 romanisation", true, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    bool changed = false;
    for (auto& word : v) {
      for (std::size_t attempt = 0; attempt < 4 && !changed; ++attempt) {
        std::string next = respell(word, make.pick(64));
        if (next != word) {
          word = next;
          changed = true;
        }
      }
    }
    a = join(v);
    b = join(w);
    return changed;
  });
  // Same words, different father: the patronymic changed, or the names around bin swapped.
  std::vector<std::string> patronymics;
  for (const auto& p : persons) {
    for (const auto& word : p.words) {
      if (word.ends_with("ovich") || word.ends_with("evich")) patronymics.push_back(word);
    }
  }
  if (!patronymics.empty()) {
    make.each(persons, "13 patronymic or nasab", false,
              [&](const auto& w, std::string& a, std::string& b) {
                auto v = w;
                for (auto& word : v) {
                  if (!word.ends_with("ovich") && !word.ends_with("evich")) continue;
                  word = patronymics[make.pick(patronymics.size())];
                  a = join(v);
                  b = join(w);
                  return word != w[static_cast<std::size_t>(&word - v.data())];
                }
                return false;
              });
  }
  make.each(persons, "13 patronymic or nasab", false,
            [&](const auto& w, std::string& a, std::string& b) {
              for (std::size_t k = 1; k + 1 < w.size(); ++k) {
                if (w[k] != "bin" && w[k] != "ibn" && w[k] != "ben" && w[k] != "ould") continue;
                auto v = w;
                std::swap(v[k - 1], v[k + 1]);
                a = join(v);
                b = join(w);
                return true;
              }
              return false;
            });
  make.each(persons, "14 subset", true, [&](const auto& w, std::string& a, std::string& b) {
    if (w.size() < 3) return false;
    auto v = w;
    v.erase(v.begin() + 1 + static_cast<std::ptrdiff_t>(make.pick(v.size() - 2)));
    a = join(v);
    b = join(w);
    return true;
  });
  make.each(persons, "14 subset", false, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    const auto& other = persons[make.pick(persons.size())].words;
    v.back() = other.back();
    a = join(v);
    b = join(w);
    return v.back().size() >= 3 && w.back().size() >= 3 && v.back()[0] != w.back()[0];
  });
  make.each(all, "15 typo", true, [&](const auto& w, std::string& a, std::string& b) {
    b = join(w);
    a = with_typo(b, random);
    return true;
  });
  // A different person: the given name's last vowel changed (Angelo / Angela).
  make.each(persons, "15 typo", false, [&](const auto& w, std::string& a, std::string& b) {
    auto v = w;
    std::string& given = v.front();
    if (given.size() < 4) return false;
    char& last = given.back();
    if (last == 'a') {
      last = make.pick(2) == 0 ? 'o' : 'e';
    } else if (last == 'o' || last == 'e') {
      last = 'a';
    } else {
      return false;
    }
    a = join(v);
    b = join(w);
    return true;
  });
  make.each(orgs, "16 distinguisher", false, [&](const auto& w, std::string& a, std::string& b) {
    static constexpr std::array<const char*, 8> kPlaces = {
        "Cyprus", "Malta", "Dubai", "Hong Kong", "Panama", "Moscow", "Tehran", "Istanbul"};
    const std::size_t x = make.pick(kPlaces.size());
    const std::size_t y = (x + 1 + make.pick(kPlaces.size() - 1)) % kPlaces.size();
    a = join(w) + " " + kPlaces[x];
    b = join(w) + " " + kPlaces[y];
    return true;
  });
  return out;
}

}  // namespace candor::bench
