#include "screening/normalize.h"

#include <gtest/gtest.h>

namespace candor::screening {
namespace {

struct Case {
  const char* rule;
  const char* input;
  const char* expected;
};

// Each rule of normalisation, with the exact output it must give.
TEST(NormaliseName, FoldsCaseDiacriticsPunctuationAndScripts) {
  const Case cases[] = {
      {"case and spacing", "  BANCO   Nacional de CUBA ", "banco nacional de cuba"},
      {"diacritics", "Zoë Šimić Ñúñez", "zoe simic nunez"},
      {"punctuation and hyphens split words", "AL-ZAWAHIRI, Ayman", "al zawahiri ayman"},
      {"apostrophes join", "O'Brien Mu'ammar", "obrien muammar"},
      {"compatibility forms (NFKC)", "ＡＢＣ ﬁrm", "abc firm"},
      {"Cyrillic", "Владимир Путин", "vladimir putin"},
      {"Greek", "Αλέξης Τσίπρας", "alexes tsipras"},
      {"digits are kept", "11420 CORP.", "11420 corp"},
      {"German sharp s", "Straße", "strasse"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(normalise_name(c.input), c.expected) << c.rule;
  }
}

TEST(NormaliseName, TransliteratesOtherScriptsToAscii) {
  for (const char* name :
       {"محمد", "محمد رضا", "משה", "金正恩", "김정은", "ნინო", "Արամ", "राम", "สมชาย"}) {
    const std::string out = normalise_name(name);
    EXPECT_FALSE(out.empty()) << name;
    for (const char c : out) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ')
          << name << " -> " << out;
    }
  }
  // ICU romanises Hangul by the Revised Romanization, joining the given name with a hyphen.
  EXPECT_EQ(normalise_name("김정은"), "gimjeong eun");
}

TEST(NameTokens, SplitsIntoWords) {
  EXPECT_EQ(name_tokens("AL-ZAWAHIRI, Ayman"),
            (std::vector<std::string>{"al", "zawahiri", "ayman"}));
  EXPECT_TRUE(name_tokens(" ,.- ").empty());
}

}  // namespace
}  // namespace candor::screening
