// Attacks through the web front door, each as a black-box test on a real server: stored
// script in every field a page shows, SQL in every search box, path tricks in uploads, a
// session fixed by an attacker, forms posted from another site, and every route tried by
// every kind of visitor.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "web/casework_fixture.h"
#include "web/routes.h"

namespace candor::web {
namespace {

using nlohmann::json;
using testing::CaseworkTest;

// Text that becomes markup if a page forgets to escape it, marked with `tag` so that each
// field can be found on the pages.
std::string evil(const std::string& tag) {
  return "\"'><script>" + tag + "</script><b onmouseover=x>" + tag + "</b>";
}

// A peer that is never reachable: what is sent to it stays in the outbox.
class UnreachablePeers final : public licensing::Transport {
 public:
  Result<licensing::PostAnswer> post(const licensing::Peer& peer, const std::string&) override {
    return Error::unavailable(peer.member_state + " is unreachable in this test");
  }
};

class SecurityTest : public CaseworkTest {
 protected:
  // An exchange with one peer, so that its routes are served.
  void configure(ServerOptions& options) override {
    exchange_.member_state = "DE";
    exchange_.name = "Test authority";
    exchange_.key = reg::SignerKey::generate("de.exchange.test").value();
    peer_key_ = reg::SignerKey::generate("fr.exchange.test").value();
    exchange_.peers = {{"FR", "Peer authority", "http://127.0.0.1:9", peer_key_.verifier()}};
    options.exchange = &exchange_;
    options.transport = &transport_;
  }
  licensing::ExchangeConfig exchange_;
  reg::SignerKey peer_key_;
  UnreachablePeers transport_;

  // The case's page as a signed-in browser sees it, with the csrf_token of its forms.
  std::string csrf_of(const std::string& page) {
    std::smatch m;
    EXPECT_TRUE(
        std::regex_search(page, m, std::regex("name=\"csrf_token\" value=\"([0-9a-f]+)\"")));
    return m[1].str();
  }
};

// Found by fuzz_requests: a parse error quoting bytes that are not UTF-8 made the JSON error
// itself throw. Any body gets a 4xx JSON answer.
TEST_F(SecurityTest, AMessageThatIsNotUtf8GetsAJsonError) {
  auto c = client();
  const std::string body =
      "{\"message\"\xc6"
      "\x8d"
      "\"id\":\"FR-1\",\"kind\":\"deni0l\",\"mple&password=demo-passwfrom\":\"FR\",\"t\"sent_at\":"
      "\"2026-11-02T09:00:00Z\",\"body\":{}},\"s)gnature\":\"AAAA\"}";
  auto r = c.Post("/api/v1/exchange/messages", body, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(nlohmann::json::parse(r->body, nullptr, false).is_object()) << r->body;
}

TEST_F(SecurityTest, StoredScriptInEveryFieldIsShownAsTextOnEveryPage) {
  using licensing::Action;
  const std::vector<std::string> tags = {
      "XTITLE",  "XENDUSE",    "XITEM",   "XDESC",     "XPARTY",  "XADDRESS", "XCLEAR", "XQUESTION",
      "XANSWER", "XRECOMMEND", "XREFUSE", "XEVIDENCE", "XSOURCE", "XORG",     "XNAME",  "XFILE"};
  // An exporter whose own name and company are hostile.
  auto exporter =
      accounts_
          ->create_user({"evil@exporter.example", evil("XNAME"), licensing::Role::exporter,
                         evil("XORG"), "DE", "exporter-password"})
          .value();
  licensing::CaseInput input = application();
  input.title = evil("XTITLE");
  input.end_use = evil("XENDUSE");
  input.items[0].name = evil("XITEM");
  input.items[0].description = evil("XDESC");
  input.parties[0].name = evil("XPARTY");
  input.parties[0].address = evil("XADDRESS");
  const auto ref = cases_->create(exporter, input).value();
  ASSERT_TRUE(cases_
                  ->add_document(exporter, ref,
                                 {"end_user_certificate", "<img src=x onerror=XFILE>.pdf",
                                  "application/pdf", "%PDF-1.4"})
                  .ok());
  ASSERT_TRUE(cases_->act(exporter, ref, {Action::submit, "", {}, {}}).ok());
  ASSERT_TRUE(cases_->act(officer_, ref, {Action::start_review, "", {}, {}}).ok());
  const auto view = cases_->view(officer_, ref).value();
  for (const auto& hit : view["screening_hits"]) {
    ASSERT_TRUE(
        cases_->clear_hit(officer_, ref, hit["id"].get<std::int64_t>(), "screened", evil("XCLEAR"))
            .ok());
  }
  const auto advice = cases_->request_advice(officer_, ref, adviser_.id, evil("XQUESTION"));
  ASSERT_TRUE(advice.ok()) << advice.error().to_string();
  ASSERT_TRUE(cases_->answer_advice(adviser_, *advice, evil("XANSWER")).ok());
  ASSERT_TRUE(cases_
                  ->add_evidence(officer_, {ref, "AE", "Signals Intelligence Directorate",
                                            "targeting", evil("XEVIDENCE"), evil("XSOURCE"),
                                            "https://example.org/report", "2020"})
                  .ok());
  ASSERT_TRUE(cases_->act(officer_, ref, {Action::recommend, evil("XRECOMMEND"), {}, {}}).ok());
  auto refused = cases_->act(officer_, ref, {Action::refuse, evil("XREFUSE"), {"criterion_2"}, {}});
  ASSERT_TRUE(refused.ok()) << refused.error().to_string();

  const std::string officer = browser_sign_in("officer@authority.example", "officer-password");
  const std::string adviser = browser_sign_in("adviser@authority.example", "adviser-password");
  const std::string admin = browser_sign_in("admin@authority.example", "admin-password");
  const std::string owner = browser_sign_in("evil%40exporter.example", "exporter-password");
  ASSERT_FALSE(owner.empty());
  std::smatch link;
  const std::string listing = client().Get("/register")->body;
  ASSERT_TRUE(std::regex_search(
      listing, link, std::regex("/register/decisions/[A-Za-z0-9._-]*" + ref + "[A-Za-z0-9._-]*")))
      << "the refusal is not in the register";
  const std::string entry = link[0].str();
  const std::vector<std::pair<std::string, std::string>> pages = {
      {"/cases", officer},         {"/cases/" + ref, officer},
      {"/cases", owner},           {"/cases/" + ref, owner},
      {"/cases/" + ref, adviser},  {"/advice", adviser},
      {"/admin", admin},           {"/register", ""},
      {"/register?q=x", ""},       {entry, ""},
      {"/register/feed.atom", ""}, {"/register/statistics", ""},
      {"/register/report", ""}};
  std::set<std::string> shown;
  auto c = client();
  for (const auto& [path, cookie] : pages) {
    auto page = cookie.empty() ? c.Get(path) : c.Get(path, {{"Cookie", cookie}});
    ASSERT_TRUE(page) << path;
    ASSERT_EQ(page->status, 200) << path << ": " << page->body.substr(0, 300);
    for (const auto& tag : tags) {
      EXPECT_EQ(page->body.find("<script>" + tag), std::string::npos) << path << " " << tag;
      EXPECT_EQ(page->body.find("<b onmouseover=x>" + tag), std::string::npos)
          << path << " " << tag;
      EXPECT_EQ(page->body.find("<img src=x onerror=" + tag), std::string::npos)
          << path << " " << tag;
      if (page->body.find(tag) != std::string::npos) shown.insert(tag);
    }
  }
  // Every field reached at least one page, so the checks above were not vacuous.
  for (const auto& tag : tags) EXPECT_TRUE(shown.contains(tag)) << tag << " was on no page";

  // A value typed into the sign-in form comes back escaped too (reflected, not stored).
  auto form = c.Get("/login");
  const std::string set_cookie = form->get_header_value("Set-Cookie");
  auto reflected = c.Post(
      "/login", {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}},
      "email=%22%3E%3Cscript%3EXLOGIN%3C%2Fscript%3E&password=x&csrf_token=" + csrf_of(form->body),
      "application/x-www-form-urlencoded");
  EXPECT_EQ(reflected->body.find("<script>XLOGIN"), std::string::npos);
  EXPECT_NE(reflected->body.find("XLOGIN"), std::string::npos);
}

TEST_F(SecurityTest, SqlInSearchBoxesIsJustText) {
  submitted_case();
  const std::string officer = browser_sign_in("officer@authority.example", "officer-password");
  const auto token_ = token("officer@authority.example", "officer-password");
  const std::vector<std::string> attacks = {"' OR '1'='1",
                                            "%' OR 1=1 --",
                                            "'); DROP TABLE cases; --",
                                            "\" OR \"\"=\"",
                                            "1 UNION SELECT password_hash FROM users --",
                                            "\\'; DELETE FROM audit_events; --"};
  auto c = client();
  for (const auto& attack : attacks) {
    const std::string q = httplib::detail::encode_query_param(attack);
    auto api = c.Get("/api/v1/cases?q=" + q, {{"Authorization", "Bearer " + token_}});
    ASSERT_TRUE(api);
    EXPECT_EQ(api->status, 200) << attack;
    EXPECT_EQ(json::parse(api->body)["count"], 0) << attack << " matched cases";
    auto page = c.Get("/cases?q=" + q, {{"Cookie", officer}});
    EXPECT_EQ(page->status, 200) << attack;
    for (const char* filter : {"destination", "control_entry", "exporter", "decision", "year"}) {
      auto reg = c.Get("/register?" + std::string(filter) + "=" + q);
      ASSERT_TRUE(reg);
      EXPECT_TRUE(reg->status == 200 || reg->status == 400) << filter << " " << attack;
    }
    auto signin = c.Post("/api/v1/session", json{{"email", attack}, {"password", attack}}.dump(),
                         "application/json");
    EXPECT_EQ(signin->status, 401) << attack;
  }
  // Nothing was dropped or emptied.
  EXPECT_EQ(cases_->list(officer_, {}).value()["count"], 1);
  auto lease = db_->acquire().value();
  EXPECT_GT(
      lease->query("SELECT COUNT(*) FROM audit_events").value()[0].get<std::int64_t>(0).value(), 0);
}

TEST_F(SecurityTest, UploadsCannotNameAPathOrBreakTheDownloadHeader) {
  const auto ref = cases_->create(exporter_, application()).value();
  const auto exporter = token("ex@acme.example", "exporter-password");
  auto c = client();
  const std::vector<std::string> names = {"../../etc/passwd",
                                          "..\\..\\windows\\win.ini",
                                          "/etc/shadow",
                                          "a/b.pdf",
                                          "euc.pdf\r\nSet-Cookie: candor_session=x",
                                          "euc\".pdf",
                                          std::string("euc\0.pdf", 8)};
  for (const auto& name : names) {
    auto r = c.Post("/api/v1/cases/" + ref + "/documents?kind=other&filename=" +
                        httplib::detail::encode_query_param(name),
                    {{"Authorization", "Bearer " + exporter}}, "%PDF-1.4", "application/pdf");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << name;
  }
  // The browser form: the file name a browser sends is checked the same way.
  const std::string cookie = browser_sign_in("ex@acme.example", "exporter-password");
  const std::string csrf = csrf_of(c.Get("/cases/" + ref, {{"Cookie", cookie}})->body);
  httplib::MultipartFormDataItems items = {{"csrf_token", csrf, "", ""},
                                           {"kind", "other", "", ""},
                                           {"file", "%PDF-1.4", "../../x.pdf", "application/pdf"}};
  auto form = c.Post("/cases/" + ref + "/documents", {{"Cookie", cookie}}, items);
  EXPECT_EQ(form->status, 400) << form->body.substr(0, 300);
  EXPECT_EQ(cases_->view(exporter_, ref).value()["documents"].size(), 0U);
  // A plain name with dots is fine, and comes back as an attachment, never inline.
  auto ok = c.Post("/api/v1/cases/" + ref + "/documents?kind=other&filename=v1..2.pdf",
                   {{"Authorization", "Bearer " + exporter}}, "%PDF-1.4", "application/pdf");
  ASSERT_EQ(ok->status, 201) << ok->body;
  const auto id = json::parse(ok->body)["id"].get<std::int64_t>();
  auto download = c.Get("/documents/" + std::to_string(id), {{"Cookie", cookie}});
  EXPECT_EQ(download->get_header_value("Content-Disposition"),
            "attachment; filename=\"v1..2.pdf\"");
  EXPECT_EQ(download->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(SecurityTest, ASessionFixedByAnAttackerIsNeverAccepted) {
  // The attacker plants a session cookie of their choosing, then the victim signs in.
  const std::string planted = "candor_session=" + std::string(64, 'a');
  auto c = client();
  auto form = c.Get("/login", {{"Cookie", planted}});
  ASSERT_EQ(form->status, 200);
  const std::string login_cookie = form->get_header_value("Set-Cookie");
  auto signed_in = c.Post(
      "/login", {{"Cookie", planted + "; " + login_cookie.substr(0, login_cookie.find(';'))}},
      "email=officer%40authority.example&password=officer-password&csrf_token=" +
          csrf_of(form->body),
      "application/x-www-form-urlencoded");
  ASSERT_EQ(signed_in->status, 303);
  const std::string issued = signed_in->get_header_value("Set-Cookie");
  EXPECT_EQ(issued.find(std::string(64, 'a')), std::string::npos) << "the planted token was kept";
  // The planted value opens nothing; the issued one does, and ends at sign-out.
  EXPECT_EQ(c.Get("/cases", {{"Cookie", planted}})->status, 303);
  const std::string session = issued.substr(0, issued.find(';'));
  auto cases = c.Get("/cases", {{"Cookie", session}});
  ASSERT_EQ(cases->status, 200);
  auto out = c.Post("/logout", {{"Cookie", session}}, "csrf_token=" + csrf_of(cases->body),
                    "application/x-www-form-urlencoded");
  EXPECT_EQ(out->status, 303);
  EXPECT_EQ(c.Get("/cases", {{"Cookie", session}})->status, 303) << "the session outlived sign-out";
  // Signing in again gives a new token, not the old one.
  EXPECT_NE(browser_sign_in("officer@authority.example", "officer-password"), session);
}

TEST_F(SecurityTest, PostsFromAnotherSiteAreRefusedEverywhere) {
  const auto ref = submitted_case();
  const std::string officer = browser_sign_in("officer@authority.example", "officer-password");
  auto c = client();
  // A cookie session with a wrong token or none: every state-changing form and API call.
  const std::vector<std::string> posts = {"/cases",
                                          "/cases/" + ref + "/actions",
                                          "/cases/" + ref + "/assign",
                                          "/cases/" + ref + "/checks",
                                          "/cases/" + ref + "/evidence",
                                          "/logout",
                                          "/admin/users",
                                          "/api/v1/cases",
                                          "/api/v1/cases/" + ref + "/actions",
                                          "/api/v1/session/end"};
  for (const auto& path : posts) {
    for (const std::string token : {"", "0123456789abcdef"}) {
      auto r = c.Post(
          path, {{"Cookie", officer}, {"X-CSRF-Token", token}},
          path.starts_with("/api/") ? "{\"action\":\"start_review\"}"
                                    : "action=start_review&csrf_token=" + token,
          path.starts_with("/api/") ? "application/json" : "application/x-www-form-urlencoded");
      ASSERT_TRUE(r) << path;
      EXPECT_EQ(r->status, 403) << path << " with token '" << token << "'";
    }
  }
  EXPECT_EQ(state_of(ref), "submitted");
}

// Every route of the table, tried by every kind of visitor: signed out, exporter (not the
// case's), exporter (the case's), officer, adviser, admin. The expected answer classes are
// written out per route, and a route added without an entry here fails the test.
TEST_F(SecurityTest, TheAccessMatrixHoldsForEveryRoute) {
  // A submitted case with a document, and a draft: the adviser was not asked about either.
  const auto ref = cases_->create(exporter_, application()).value();
  const auto doc =
      cases_->add_document(exporter_, ref, {"other", "a.pdf", "application/pdf", "x"}).value();
  ASSERT_TRUE(cases_->act(exporter_, ref, {licensing::Action::submit, "", {}, {}}).ok());
  const auto draft = cases_->create(exporter_, application()).value();
  const std::map<std::string, std::string> cookie = {
      {"anonymous", ""},
      {"stranger", browser_sign_in("ex@other.example", "exporter-password")},
      {"owner", browser_sign_in("ex@acme.example", "exporter-password")},
      {"officer", browser_sign_in("officer@authority.example", "officer-password")},
      {"adviser", browser_sign_in("adviser@authority.example", "adviser-password")},
      {"admin", browser_sign_in("admin@authority.example", "admin-password")}};
  // Per visitor, in the order above: 'y' allowed (anything but 401, 403 or the sign-in
  // redirect: a 4xx about the request itself counts), 'n' refused (see below).
  struct Expect {
    const char* method;
    std::string path;
    const char* visitors;  // anonymous stranger owner officer adviser admin
  };
  const std::string doc_path = "/documents/" + std::to_string(doc);
  const std::vector<Expect> matrix = {
      {"GET", "/register", "yyyyyy"},
      {"GET", "/register/decisions/none", "yyyyyy"},
      {"GET", "/register/search.csv", "yyyyyy"},
      {"GET", "/register/search.json", "yyyyyy"},
      {"GET", "/register/feed.atom", "yyyyyy"},
      {"GET", "/register/statistics", "yyyyyy"},
      {"GET", "/register/report", "yyyyyy"},
      {"GET", "/register/report.csv", "yyyyyy"},
      {"GET", "/register/verify", "yyyyyy"},
      {"GET", "/register/authorities", "yyyyyy"},
      {"GET", "/register/authorities.json", "yyyyyy"},
      {"GET", "/register/key", "yyyyyy"},
      {"GET", "/register/checkpoint", "yyyyyy"},
      {"GET", "/register/entries?start=0&end=1", "yyyyyy"},
      {"GET", "/register/proof/inclusion?index=0&size=1", "yyyyyy"},
      {"GET", "/register/proof/consistency?first=1&second=1", "yyyyyy"},
      {"GET", "/", "yyyyyy"},
      {"GET", "/healthz", "yyyyyy"},
      {"GET", "/assets/app.css", "yyyyyy"},
      {"GET", "/login", "yyyyyy"},
      {"POST", "/login", "yyyyyy"},
      {"GET", "/cases", "nyyyyn"},
      {"POST", "/cases", "nyynnn"},
      {"GET", "/cases/new", "nyynnn"},
      {"GET", "/cases/" + ref, "nnyynn"},
      {"GET", "/cases/" + ref + "/licence", "nnyynn"},
      {"POST", "/cases/" + ref + "/actions", "nnnynn"},
      {"GET", doc_path, "nnyynn"},
      {"GET", "/advice", "nnnnyn"},
      {"GET", "/admin", "nnnnny"},
      {"POST", "/admin/users", "nnnnny"},
      {"GET", "/admin/audit.csv", "nnnnny"},
      {"POST", "/api/v1/session", "yyyyyy"},
      {"GET", "/api/v1/me", "nyyyyy"},
      {"GET", "/api/v1/users", "nnnyny"},
      {"POST", "/api/v1/users", "nnnnny"},
      {"GET", "/api/v1/cases", "nyyyyn"},
      {"POST", "/api/v1/cases", "nyynnn"},
      {"GET", "/api/v1/cases/" + ref, "nnyynn"},
      {"GET", "/api/v1/cases/" + ref + "/licence", "nnyynn"},
      {"POST", "/api/v1/cases/" + draft + "/documents?kind=other&filename=b.pdf", "nnynnn"},
      {"POST", "/api/v1/cases/" + ref + "/actions", "nnnynn"},
      {"GET", "/api/v1/documents/" + std::to_string(doc), "nnyynn"},
      {"GET", "/api/v1/advice", "nnnnyn"},
      {"POST", "/api/v1/advice/1/answer", "nnnnnn"},
      {"POST", "/api/v1/evidence", "nnnyyn"},
      {"GET", "/api/v1/audit.csv", "nnnnny"},
      {"GET", "/api/v1/openapi.yaml", "yyyyyy"},
      {"GET", "/exchange", "nnnynn"},
      {"POST", "/exchange/consultations/1/answer", "nnnynn"},
      {"POST", "/api/v1/exchange/messages", "yyyyyy"},
      {"GET", "/api/v1/exchange/key", "yyyyyy"},
      {"GET", "/api/v1/exchange", "nnnynn"},
      {"POST", "/api/v1/consultations/1/answer", "nnnynn"},
      // Last: these end the visitors' sessions.
      {"POST", "/api/v1/session/end", "nyyyyy"},
      {"POST", "/logout", "yyyyyy"},
  };
  // The matrix covers the route table.
  for (const auto& route : route_table()) {
    const std::regex pattern{std::string(route.pattern)};
    bool covered = false;
    for (const auto& e : matrix) {
      const std::string path = e.path.substr(0, e.path.find('?'));
      if ((route.method == Method::post) == (std::string(e.method) == "POST") &&
          std::regex_match(path, pattern)) {
        covered = true;
      }
    }
    EXPECT_TRUE(covered) << "no access rule tested for " << route.pattern;
  }
  const std::vector<std::string> visitors = {"anonymous", "stranger", "owner",
                                             "officer",   "adviser",  "admin"};
  auto c = client();
  // Each visitor's own CSRF token (the sign-out form on every page), so that a refusal is
  // about who asks, not about the form.
  std::map<std::string, std::string> csrf_of_visitor;
  for (const auto& [name, who] : cookie) {
    if (!who.empty()) csrf_of_visitor[name] = csrf_of(c.Get("/", {{"Cookie", who}})->body);
  }
  for (const auto& e : matrix) {
    for (std::size_t v = 0; v < visitors.size(); ++v) {
      const std::string& who = cookie.at(visitors[v]);
      const std::string csrf = who.empty() ? "" : csrf_of_visitor.at(visitors[v]);
      httplib::Headers headers;
      if (!who.empty()) headers = {{"Cookie", who}, {"X-CSRF-Token", csrf}};
      httplib::Result r =
          std::string(e.method) == "GET"
              ? c.Get(e.path, headers)
              : c.Post(e.path, headers,
                       !e.path.starts_with("/api/")  ? "action=start_review&csrf_token=" + csrf
                       : e.path.ends_with("/answer") ? "{\"answer\":\"Clear risk\"}"
                                                     : "{\"action\":\"start_review\"}",
                       e.path.starts_with("/api/") ? "application/json"
                                                   : "application/x-www-form-urlencoded");
      ASSERT_TRUE(r) << e.path;
      const int s = r->status;
      const bool to_sign_in = s == 303 && r->get_header_value("Location").starts_with("/login");
      // Refused: not signed in, forbidden, not found (another's case), sent back to the
      // visitor's own start page, or an action the state machine does not open to them.
      const bool refused = s == 401 || s == 403 || s == 404 || s == 303 || s == 412;
      const bool allowed = e.visitors[v] == 'y';
      if (allowed) {
        EXPECT_FALSE((s == 401 || s == 403 || to_sign_in) &&
                     !e.path.starts_with("/register/decisions") && e.path != "/login" &&
                     e.path != "/api/v1/session")
            << e.method << " " << e.path << " as " << visitors[v] << " got " << s;
      } else {
        EXPECT_TRUE(refused) << e.method << " " << e.path << " as " << visitors[v] << " got " << s;
      }
      EXPECT_LT(s, 500) << e.method << " " << e.path << " as " << visitors[v];
    }
  }
}

}  // namespace
}  // namespace candor::web
