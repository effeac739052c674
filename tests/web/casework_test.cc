// Black-box HTTP tests of the casework pages and the JSON API: a real server on a loopback
// port, a real database, requests as a browser or a client program sends them.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "web/casework_fixture.h"

namespace candor::web {
namespace {

using nlohmann::json;
using testing::CaseworkTest;

TEST_F(CaseworkTest, PagesNeedASignInAndSendYouBackAfterwards) {
  auto c = client();
  auto r = c.Get("/cases");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  // cpp-httplib's client decodes Location; the server sent /login?next=%2Fcases.
  EXPECT_EQ(r->get_header_value("Location"), "/login?next=/cases");
  auto api = c.Get("/api/v1/cases");
  EXPECT_EQ(api->status, 401);
  EXPECT_EQ(json::parse(api->body)["error"]["kind"], "unauthenticated");
}

TEST_F(CaseworkTest, SignInSetsAHardenedSessionCookie) {
  httplib::Response posted;
  const std::string cookie = browser_sign_in("ex@acme.example", "exporter-password", &posted);
  EXPECT_EQ(posted.status, 303);
  EXPECT_EQ(posted.get_header_value("Location"), "/cases");
  const std::string header = posted.get_header_value("Set-Cookie");
  EXPECT_NE(header.find("HttpOnly"), std::string::npos);
  EXPECT_NE(header.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(header.find("Secure"), std::string::npos) << "plain HTTP on loopback";
  auto c = client();
  auto page = c.Get("/cases", {{"Cookie", cookie}});
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Your applications"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
}

TEST_F(CaseworkTest, CookiesAreSecureBehindATlsProxy) {
  auto c = client();
  auto form = c.Get("/login", {{"X-Forwarded-Proto", "https"}});
  EXPECT_NE(form->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(CaseworkTest, FormsWithoutTheCsrfTokenAreRefused) {
  const std::string cookie = browser_sign_in("ex@acme.example", "exporter-password");
  auto c = client();
  auto r = c.Post("/cases", {{"Cookie", cookie}}, "title=x&licence_type=individual",
                  "application/x-www-form-urlencoded");
  EXPECT_EQ(r->status, 403);
  auto wrong = c.Post("/cases", {{"Cookie", cookie}}, "title=x&csrf_token=" + std::string(64, 'a'),
                      "application/x-www-form-urlencoded");
  EXPECT_EQ(wrong->status, 403);
  // A login form posted without its cookie (from another site) is refused too.
  auto login = c.Post("/login", "email=ex%40acme.example&password=exporter-password&csrf_token=x",
                      "application/x-www-form-urlencoded");
  EXPECT_EQ(login->status, 403);
  // An API call carried by the browser's cookie needs X-CSRF-Token.
  auto api = c.Post("/api/v1/cases", {{"Cookie", cookie}}, "{}", "application/json");
  EXPECT_EQ(api->status, 403);
}

TEST_F(CaseworkTest, TheNextParameterCannotSendYouToAnotherSite) {
  auto c = client();
  auto form = c.Get("/login?next=//evil.example/");
  EXPECT_EQ(form->body.find("evil.example"), std::string::npos);
}

TEST_F(CaseworkTest, TooManyFailedSignInsGet429WithRetryAfter) {
  auto c = client();
  int status = 0;
  std::string retry_after;
  for (int i = 0; i < 6; ++i) {
    auto r = c.Post("/api/v1/session",
                    json{{"email", "ex@acme.example"}, {"password", "wrong-wrong"}}.dump(),
                    "application/json");
    status = r->status;
    retry_after = r->get_header_value("Retry-After");
  }
  EXPECT_EQ(status, 429);
  EXPECT_EQ(retry_after, "900");
}

TEST_F(CaseworkTest, ApiCoversAnApplicationFromDraftToRefusal) {
  const auto exporter = token("ex@acme.example", "exporter-password");
  const auto officer = token("officer@authority.example", "officer-password");
  const auto adviser = token("adviser@authority.example", "adviser-password");
  const auto other = token("ex@other.example", "exporter-password");

  json body = {
      {"licence_type", "individual"},
      {"title", "Remote monitoring platform"},
      {"end_use", "Lawful interception"},
      {"end_user_type", "intelligence"},
      {"items",
       {{{"name", "Platform"},
         {"quantity", 1},
         {"value", "1000.00"},
         {"facts", {{"kind", "software"}, {"intrusion_software_generation_c2_delivery", true}}}}}},
      {"parties",
       {{{"role", "end_user"}, {"name", "Directorate"}, {"country", "AE"}},
        {{"role", "consignee"}, {"name", "Gulf Secure Integration FZE"}, {"country", "AE"}}}}};
  auto created = api_post(exporter, "/api/v1/cases", body);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string ref = json::parse(created->body)["reference"];
  EXPECT_EQ(created->get_header_value("Location"), "/api/v1/cases/" + ref);

  auto doc = client().Post(
      "/api/v1/cases/" + ref + "/documents?kind=end_user_certificate&filename=euc.pdf",
      {{"Authorization", "Bearer " + exporter}}, "%PDF-1.4 test", "application/pdf");
  ASSERT_EQ(doc->status, 201) << doc->body;
  EXPECT_EQ(json::parse(doc->body)["size"], 13);

  EXPECT_EQ(api_get(other, "/api/v1/cases/" + ref)->status, 404);
  EXPECT_EQ(api_post(exporter, "/api/v1/cases/" + ref + "/actions", {{"action", "submit"}})->status,
            200);
  EXPECT_EQ(
      api_post(exporter, "/api/v1/cases/" + ref + "/actions", {{"action", "start_review"}})->status,
      403);
  EXPECT_EQ(
      api_post(officer, "/api/v1/cases/" + ref + "/actions", {{"action", "start_review"}})->status,
      200);
  auto wrong_state = api_post(officer, "/api/v1/cases/" + ref + "/actions", {{"action", "grant"}});
  EXPECT_EQ(wrong_state->status, 412) << wrong_state->body;
  EXPECT_NE(
      json::parse(wrong_state->body)["error"]["message"].get<std::string>().find("cannot grant"),
      std::string::npos);

  auto view = json::parse(api_get(officer, "/api/v1/cases/" + ref)->body);
  ASSERT_EQ(view["screening_hits"].size(), 1U);
  const auto hit = view["screening_hits"][0]["id"].get<std::int64_t>();
  EXPECT_FALSE(
      json::parse(api_get(exporter, "/api/v1/cases/" + ref)->body).contains("screening_hits"));

  auto users = json::parse(api_get(officer, "/api/v1/users?role=adviser")->body);
  std::int64_t adviser_id = 0;
  for (const auto& u : users["users"]) {
    if (u["email"] == "adviser@authority.example") adviser_id = u["id"].get<std::int64_t>();
  }
  ASSERT_NE(adviser_id, 0);
  EXPECT_EQ(api_post(officer, "/api/v1/cases/" + ref + "/advice",
                     {{"adviser_id", adviser_id}, {"question", "Criterion 2?"}})
                ->status,
            200);
  auto inbox = json::parse(api_get(adviser, "/api/v1/advice")->body);
  const auto advice_id = inbox["requests"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(api_post(adviser, "/api/v1/advice/" + std::to_string(advice_id) + "/answer",
                     {{"answer", "Clear risk."}})
                ->status,
            200);
  EXPECT_EQ(api_post(officer, "/api/v1/cases/" + ref + "/actions",
                     {{"action", "recommend"}, {"reason", "Refuse"}})
                ->status,
            200);
  auto blocked =
      api_post(officer, "/api/v1/cases/" + ref + "/actions",
               {{"action", "refuse"}, {"reason", "Clear risk"}, {"criteria", {"criterion_2"}}});
  EXPECT_EQ(blocked->status, 412);
  EXPECT_EQ(api_post(officer, "/api/v1/cases/" + ref + "/hits/" + std::to_string(hit) + "/clear",
                     {{"outcome", "confirmed_match"}, {"reason", "Same company"}})
                ->status,
            200);
  auto refused =
      api_post(officer, "/api/v1/cases/" + ref + "/actions",
               {{"action", "refuse"}, {"reason", "Clear risk"}, {"criteria", {"criterion_2"}}});
  ASSERT_EQ(refused->status, 200) << refused->body;
  auto seen = json::parse(api_get(exporter, "/api/v1/cases/" + ref)->body);
  EXPECT_EQ(seen["state"], "refused");
  EXPECT_EQ(seen["decision"]["criteria"][0]["code"], "criterion_2");
}

TEST_F(CaseworkTest, BadRequestsGetClearErrors) {
  const auto exporter = token("ex@acme.example", "exporter-password");
  auto not_json = client().Post("/api/v1/cases", {{"Authorization", "Bearer " + exporter}},
                                "{not json", "application/json");
  EXPECT_EQ(not_json->status, 400);
  auto wrong_type = api_post(exporter, "/api/v1/cases", {{"title", 5}});
  EXPECT_EQ(wrong_type->status, 400);
  EXPECT_NE(json::parse(wrong_type->body)["error"]["message"].get<std::string>().find("title"),
            std::string::npos);
  auto bad_item = api_post(exporter, "/api/v1/cases",
                           {{"title", "t"}, {"items", {{{"name", "x"}, {"quantity", "many"}}}}});
  EXPECT_EQ(bad_item->status, 400);
  EXPECT_EQ(api_get(exporter, "/api/v1/cases/C-2026-9999")->status, 404);
  EXPECT_EQ(api_get(exporter, "/api/v1/cases?state=sideways")->status, 400);
  EXPECT_EQ(api_get(exporter, "/api/v1/audit.csv")->status, 403);
}

TEST_F(CaseworkTest, ADocumentUploadedInTheBrowserKeepsItsHashAndEveryReadIsAudited) {
  const std::string cookie = browser_sign_in("ex@acme.example", "exporter-password");
  const auto ref = cases_->create(exporter_, application()).value();
  auto c = client();
  auto page = c.Get("/cases/" + ref, {{"Cookie", cookie}});
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(page->body, m, std::regex("name=\"csrf_token\" value=\"([0-9a-f]+)\"")));
  httplib::MultipartFormDataItems items = {
      {"csrf_token", m[1].str(), "", ""},
      {"kind", "end_user_certificate", "", ""},
      {"file", "signed certificate bytes", "euc.pdf", "application/pdf"}};
  auto uploaded = c.Post("/cases/" + ref + "/documents", {{"Cookie", cookie}}, items);
  ASSERT_EQ(uploaded->status, 303) << uploaded->body;
  const auto view = cases_->view(exporter_, ref).value();
  ASSERT_EQ(view["documents"].size(), 1U);
  const auto id = view["documents"][0]["id"].get<std::int64_t>();
  auto download = c.Get("/documents/" + std::to_string(id), {{"Cookie", cookie}});
  EXPECT_EQ(download->status, 200);
  EXPECT_EQ(download->body, "signed certificate bytes");
  EXPECT_EQ(download->get_header_value("X-Content-SHA256"), view["documents"][0]["sha256"]);
  const std::string admin_cookie = browser_sign_in("admin@authority.example", "admin-password");
  auto csv = c.Get("/admin/audit.csv", {{"Cookie", admin_cookie}});
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv->body.find("document.read,document:" + std::to_string(id)), std::string::npos);
  EXPECT_EQ(c.Get("/admin/audit.csv", {{"Cookie", cookie}})->status, 403);
}

TEST_F(CaseworkTest, AFormErrorIsShownWithASummaryLinkedToTheField) {
  const std::string cookie = browser_sign_in("ex@acme.example", "exporter-password");
  auto c = client();
  auto form = c.Get("/cases/new", {{"Cookie", cookie}});
  ASSERT_EQ(form->status, 200);
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(form->body, m, std::regex("name=\"csrf_token\" value=\"([0-9a-f]+)\"")));
  auto posted = c.Post("/cases", {{"Cookie", cookie}},
                       "csrf_token=" + m[1].str() +
                           "&licence_type=individual&title=&end_use=x&end_user_type=police"
                           "&end_user_name=Police&end_user_country=MX&item_name=Kit"
                           "&item_quantity=1&item_value=10.00&item_currency=EUR&fact_kind=hardware",
                       "application/x-www-form-urlencoded");
  EXPECT_EQ(posted->status, 400);
  EXPECT_NE(posted->body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(posted->body.find("href=\"#title\""), std::string::npos);
  EXPECT_NE(posted->body.find("<title>Error: "), std::string::npos);
  EXPECT_NE(posted->body.find("value=\"Police\""), std::string::npos) << "what was typed stays";
}

}  // namespace
}  // namespace candor::web
