// One row per matching rule, with the score pinned: a change to any rule shows here by name.
// Scores use default_token_weight (no list statistics), so they do not depend on a list.
#include <gtest/gtest.h>

#include <cmath>

#include "screening/match.h"
#include "screening/names.h"
#include "screening/similarity.h"

namespace candor::screening {
namespace {

struct Case {
  const char* rule;
  const char* query;
  const char* listed;
  EntityType type;
  double score;
};

const Case kCases[] = {
    {"exact", "Kim Jong Un", "KIM JONG UN", EntityType::person, 1.0},
    {"token order", "Jong Un Kim", "KIM, Jong Un", EntityType::person, 1.0},
    {"LAST, First", "PUTIN, Vladimir", "Vladimir Putin", EntityType::person, 1.0},
    {"diacritics folded", "José Müller", "JOSE MULLER", EntityType::person, 1.0},
    {"fuzzy (stretched Jaro-Winkler)", "Mohamad Hasan", "MOHAMMAD HASAN", EntityType::person,
     0.9688},
    {"phonetic key", "Muhammad Ali", "Mohammed Ali", EntityType::person, 0.95},
    {"initial", "J. Smith", "John Smith", EntityType::person, 0.9167},
    {"list has a middle name", "John Smith", "John Henry SMITH", EntityType::person, 0.8},
    {"query has a middle name", "John Henry Smith", "John SMITH", EntityType::person, 0.8},
    {"list has a patronymic", "Vladimir Putin", "Vladimir Vladimirovich PUTIN", EntityType::person,
     0.9091},
    {"query has a patronymic", "Vladimir Vladimirovich Putin", "Vladimir PUTIN", EntityType::person,
     0.9091},
    {"patronymics differ", "Ivan Petrovich Sidorov", "Ivan Sergeyevich SIDOROV", EntityType::person,
     0.5},
    {"legal forms across languages", "OOO Romashka", "Romashka LLC", EntityType::organization, 1.0},
    {"legal form in Cyrillic", "ООО Ромашка", "ROMASHKA GMBH", EntityType::organization, 0.9519},
    {"legal forms of one class", "Rosoboronexport OAO", "ROSOBORONEXPORT JSC",
     EntityType::organization, 1.0},
    {"digits are significant (watchman: 100%)", "BELLETECH CORP", "11420 CORP.",
     EntityType::organization, 0.1304},
    {"numbers differ", "Unit 8200", "Unit 8201", EntityType::organization, 0.3333},
    {"numbers match", "Unit 8200", "UNIT 8200", EntityType::organization, 1.0},
    {"a person is not a company (watchman: 100%)", "emma daniels", "EMMA LLC", EntityType::unknown,
     0.4348},
    {"Cyrillic", "Владимир Путин", "Vladimir Putin", EntityType::person, 1.0},
    {"Greek", "Νικόλαος Παππάς", "Nikolaos Pappas", EntityType::person, 1.0},
    {"Arabic consonant skeleton", "محمد علي", "Mohamed Ali", EntityType::person, 0.9},
    {"joined tokens", "Xi Jin Ping", "XI JINPING", EntityType::person, 1.0},
    {"initialism written with dots", "N.S.O. Group", "NSO GROUP", EntityType::organization, 1.0},
    {"initialism letters in another order", "N.O.S. Group", "NSO GROUP", EntityType::organization,
     0.3333},
    {"initials of a person stay initials", "J. R. Smith", "John Robert SMITH", EntityType::person,
     0.875},
    {"digits written for letters", "G3nnady T1mchenko", "Gennady TIMCHENKO", EntityType::person,
     1.0},
    {"digits for letters, every word", "B0R1S", "BORIS", EntityType::person, 1.0},
    {"codes of mostly digits stay numbers", "Airbus A320", "AIRBUS AIZO", EntityType::unknown,
     0.3333},
    // The first half alone is close to the whole ("petro" / "petrogreen"): the join still wins.
    {"query splits what the list joins", "Petro Green", "PETROGREEN", EntityType::organization,
     1.0},
    {"query splits a surname", "Rafat Nejad, Gholamreza", "RAFATNEJAD, Gholamreza",
     EntityType::person, 1.0},
    {"Hangul by syllable", "김정은", "Kim Jong Un", EntityType::person, 1.0},
    {"Hangul surname variant", "이민호", "Lee Min Ho", EntityType::person, 1.0},
    {"Han in its Korean reading", "金正恩", "Kim Jong Un", EntityType::person, 1.0},
    {"Han in a Japanese reading", "山田太郎", "Yamada Taro", EntityType::person, 0.95},
    {"different names stay apart", "Patricia Wheeler", "Patrick Whelan", EntityType::person,
     0.8185},
    {"title dropped", "Dr. Ayman al-Zawahiri", "AYMAN AL ZAWAHIRI", EntityType::person, 1.0},
    // A word changed on both sides is no name left out: both count in full.
    {"family names differ", "Maria Fernanda Lopez", "MARIA FERNANDA ORTIZ", EntityType::person,
     0.5},
    {"branches differ", "Atlas Bank Cyprus", "ATLAS BANK MALTA", EntityType::organization, 0.5},
    {"masculine and feminine forms", "Angelo Rossi", "ANGELA ROSSI", EntityType::person, 0.3333},
    {"feminine form with an added a", "Aleksandra Ivanova", "Aleksandr Ivanov", EntityType::person,
     0.0},
    {"father and son (order after bin)", "Saeed bin Rashid al-Nuaimi", "Rashid bin Saeed AL NUAIMI",
     EntityType::person, 0.4286},
    {"letters swapped in a short word", "Hmaid Ali", "HAMID ALI", EntityType::person, 0.94},
    {"first letter lost", "Ladimir Sidorov", "VLADIMIR SIDOROV", EntityType::person, 0.9479},
    {"list joins what the query splits", "Sakabuyamorris", "SAKABUYA MORRIS", EntityType::person,
     1.0},
    {"ordinal as a word", "2nd Bank of Rostov", "SECOND BANK OF ROSTOV", EntityType::organization,
     1.0},
    {"number in words", "Unit Twenty-Six", "UNIT 26", EntityType::organization, 1.0},
    {"Roman numerals", "Trust IV", "TRUST 4", EntityType::organization, 1.0},
    {"a short form of a given name", "Sasha Petrov", "Aleksandr PETROV", EntityType::person, 0.975},
    {"title and rank dropped", "Gen. Ali Karimi", "ALI KARIMI", EntityType::person, 1.0},
    {"acronym of an organisation", "IRGC", "Islamic Revolutionary Guard Corps",
     EntityType::organization, 1.0},
    {"legal form misspelled", "Tadbir Investment Compny", "TADBIR INVESTMENT COMPANY",
     EntityType::organization, 1.0},
    {"name cut inside a legal form", "INTERNATIONAL ELECTRONICS TRADING COMP",
     "INTERNATIONAL ELECTRONICS TRADING COMPANY", EntityType::organization, 1.0},
    {"name cut inside a word", "BASHAIR GENERAL TRADING AND CONTRACT",
     "BASHAIR GENERAL TRADING AND CONTRACTING", EntityType::organization, 0.98},
    {"two names' made acronyms never meet", "Bank General Trading Co",
     "BASHAIR GLOBAL TEXTILE CORP", EntityType::organization, 0.1304},
    {"initials alone say little", "Electra Sanam Company", "E. S. Co.", EntityType::organization,
     0.0909},
};

TEST(MatchRules, ScoresArePinnedPerRule) {
  const NamePreparer preparer;
  for (const auto& c : kCases) {
    const auto score = score_names(preparer.prepare(c.query, c.type),
                                   preparer.prepare(c.listed, c.type), default_token_weight);
    EXPECT_NEAR(score.score, c.score, 5e-5)
        << c.rule << ": " << c.query << " / " << c.listed << ": " << explain(score, {});
  }
}

TEST(MatchRules, KnownFalsePositivesOfOtherEnginesStayBelowTheThreshold) {
  const NamePreparer preparer;
  for (const auto& [a, b] :
       {std::pair{"BELLETECH CORP", "11420 CORP."}, std::pair{"emma daniels", "EMMA LLC"}}) {
    const auto score = score_names(preparer.prepare(a, EntityType::unknown),
                                   preparer.prepare(b, EntityType::unknown), default_token_weight);
    EXPECT_LT(score.score, kDefaultThreshold) << a << " / " << b;
  }
}

TEST(MatchRules, ExplanationsSayWhichTokenMetWhichAndHow) {
  const NamePreparer preparer;
  const auto score =
      score_names(preparer.prepare("Muhamad Vladimirovich Putin", EntityType::person),
                  preparer.prepare("PUTIN, Mukhamed", EntityType::person), default_token_weight);
  const std::string text = explain(score, {{"date_of_birth", 0.05, "1952 matches 1952-10-07"}});
  EXPECT_EQ(text,
            "muhamad ~ mukhamed (phonetic 0.90); putin = putin (exact); not in the list's name: "
            "vladimirovich; name score 0.86; date of birth 1952 matches 1952-10-07: +0.05");
}

TEST(Similarity, JaroWinklerKnownValues) {
  EXPECT_NEAR(jaro_winkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(jaro_winkler("dwayne", "duane"), 0.84, 1e-4);
  EXPECT_NEAR(jaro_winkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_EQ(jaro_winkler("", ""), 1.0);
  EXPECT_EQ(jaro_winkler("abc", ""), 0.0);
  EXPECT_EQ(jaro_winkler("abc", "xyz"), 0.0);
}

TEST(Similarity, BoundedLevenshtein) {
  EXPECT_EQ(bounded_levenshtein("kitten", "sitting", 5), 3);
  EXPECT_EQ(bounded_levenshtein("kitten", "sitting", 2), 3);  // limit + 1
  EXPECT_EQ(bounded_levenshtein("", "abc", 5), 3);
  EXPECT_EQ(bounded_levenshtein("same", "same", 0), 0);
}

TEST(Similarity, SoundKeysFoldTransliterationVariants) {
  EXPECT_EQ(phonetic_key("mohammed"), phonetic_key("muhammad"));
  EXPECT_EQ(phonetic_key("mukhamed"), phonetic_key("muhamed"));
  EXPECT_EQ(phonetic_key("jong"), phonetic_key("jeong"));
  EXPECT_EQ(phonetic_key("dmitrij"), phonetic_key("dmitry"));
  EXPECT_EQ(phonetic_key("philip"), phonetic_key("filip"));
  EXPECT_NE(phonetic_key("ivan"), phonetic_key("iran"));
  EXPECT_EQ(phonetic_key("8200"), "8200");
  EXPECT_EQ(skeleton_key("mhmd", true), skeleton_key("mohamed", true));
  EXPECT_EQ(skeleton_key("mhmwd", true), skeleton_key("mahmoud", true));
  EXPECT_EQ(skeleton_key("dwd", false), skeleton_key("david", false));
  EXPECT_EQ(skeleton_key("allh", true), skeleton_key("allah", true));
}

TEST(Qualifiers, RaiseAndLowerTheScoreAndSaySo) {
  Entity entity;
  entity.type = EntityType::person;
  entity.birth_dates = {"1952-10-07", "1953"};
  entity.countries = {"RU"};
  const auto effect_of = [&](QueryFacts facts) { return qualify(facts, entity); };
  auto same = effect_of({"1952-10-07", "ru", EntityType::person});
  ASSERT_EQ(same.size(), 2U);
  EXPECT_DOUBLE_EQ(same[0].delta, 0.05);
  EXPECT_EQ(same[0].detail, "1952-10-07 matches 1952-10-07");
  EXPECT_DOUBLE_EQ(same[1].delta, 0.03);
  EXPECT_DOUBLE_EQ(effect_of({"1952", "", EntityType::unknown})[0].delta, 0.05);
  EXPECT_DOUBLE_EQ(effect_of({"1952-01-01", "", EntityType::unknown})[0].delta, 0.0);
  EXPECT_DOUBLE_EQ(effect_of({"1954", "", EntityType::unknown})[0].delta, -0.05);
  auto far = effect_of({"1970-01-01", "ir", EntityType::organization});
  ASSERT_EQ(far.size(), 3U);
  EXPECT_DOUBLE_EQ(far[0].delta, -0.15);
  EXPECT_DOUBLE_EQ(far[1].delta, -0.05);
  EXPECT_EQ(far[2].name, "type");
  EXPECT_DOUBLE_EQ(far[2].delta, -0.25);
  EXPECT_TRUE(effect_of({}).empty());
  EXPECT_DOUBLE_EQ(combine(0.98, same), 1.0);
  EXPECT_DOUBLE_EQ(combine(0.1, far), 0.0);
}

TEST(LegalForms, BuiltInTableFoldsAcrossScriptsAndLanguages) {
  const NamePreparer preparer;
  const auto form_of = [&](const char* name) {
    const auto prepared = preparer.prepare(name, EntityType::organization);
    for (const auto& token : prepared.tokens) {
      if (token.kind == TokenKind::legal_form) return token.text;
    }
    return std::string();
  };
  EXPECT_EQ(form_of("Romashka GmbH"), "llc");
  EXPECT_EQ(form_of("ООО Ромашка"), "llc");
  EXPECT_EQ(form_of("Obshchestvo s ogranichennoy otvetstvennostyu Romashka"), "");  // not listed
  EXPECT_EQ(form_of("Grupo Ejemplo S.A. de C.V."), "jsc");
  EXPECT_EQ(form_of("Example Public Joint Stock Company"), "jsc");
  EXPECT_EQ(form_of("LLC"), "");  // A name is never only a legal form.
  // Persons' names are not folded: "Ag" and "Sa" are names too.
  const auto person = preparer.prepare("Ali Sa", EntityType::person);
  EXPECT_EQ(person.tokens.back().kind, TokenKind::word);
}

TEST(LegalForms, ParseErrorsNameTheLine) {
  auto bad = LegalForms::parse("types:\n  - generic: LLC\n    aliases: LLC\n", "forms.yml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().context(), "forms.yml:2");
  EXPECT_FALSE(LegalForms::parse("[", "x.yml").ok());
  EXPECT_FALSE(LegalForms::parse("other: 1", "x.yml").ok());
  auto good = LegalForms::parse("types:\n  - generic: LLC\n    aliases: [Sp. z o.o.]\n", "x.yml");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->size(), 2U);
}

}  // namespace
}  // namespace candor::screening
