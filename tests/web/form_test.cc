#include "web/form.h"

#include <gtest/gtest.h>

namespace candor::web {
namespace {

TEST(Form, DecodesFieldsAsBrowsersSendThem) {
  const Form form =
      Form::parse("name=Ada+Lovelace&city=Z%C3%BCrich&criteria=a&criteria=b&empty=&flag");
  EXPECT_EQ(form.get("name"), "Ada Lovelace");
  EXPECT_EQ(form.get("city"), "Zürich");
  EXPECT_EQ(form.all("criteria"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(form.has("empty"));
  EXPECT_TRUE(form.has("flag"));
  EXPECT_EQ(form.get("missing"), "");
}

TEST(Form, KeepsMalformedEscapesAndNormalisesLineEndings) {
  const Form form = Form::parse("a=100%&b=%zz&c=%4&d=line1%0D%0Aline2");
  EXPECT_EQ(form.get("a"), "100%");
  EXPECT_EQ(form.get("b"), "%zz");
  EXPECT_EQ(form.get("c"), "%4");
  EXPECT_EQ(form.get("d"), "line1\nline2");
}

TEST(Form, EncodesForUrls) {
  EXPECT_EQ(url_encode("/cases?x=1 2"), "%2Fcases%3Fx%3D1%202");
  EXPECT_EQ(url_decode(url_encode("ä&=/"), false), "ä&=/");
}

TEST(Cookies, FindsTheNamedCookie) {
  EXPECT_EQ(cookie_value("a=1; candor_session=abc; b=2", "candor_session"), "abc");
  EXPECT_EQ(cookie_value("xcandor_session=abc", "candor_session"), "");
  EXPECT_EQ(cookie_value("", "candor_session"), "");
}

}  // namespace
}  // namespace candor::web

#include "web/case_input.h"

namespace candor::web {
namespace {

TEST(CaseInput, DocumentsThatBrowsersCouldRunAreSentAsPlainBytes) {
  EXPECT_EQ(download_type("application/pdf"), "application/pdf");
  EXPECT_EQ(download_type("text/html"), "application/octet-stream");
  EXPECT_EQ(download_type("image/svg+xml"), "application/octet-stream");
  EXPECT_EQ(download_type(""), "application/octet-stream");
}

// Found by fuzz_application: a body that is JSON but not an object threw instead of failing.
TEST(CaseInput, ABodyThatIsNotAnObjectIsAnError) {
  for (const char* text : {"2", "[]", "\"x\"", "null"}) {
    auto input = case_input_from_json(nlohmann::json::parse(text));
    ASSERT_FALSE(input.ok()) << text;
    EXPECT_EQ(input.error().kind(), ErrorKind::invalid_argument);
  }
  auto items = case_input_from_json(nlohmann::json{{"items", 3}});
  ASSERT_FALSE(items.ok());
  EXPECT_NE(items.error().message().find("items"), std::string::npos);
}

}  // namespace
}  // namespace candor::web
