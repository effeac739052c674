// A casework server for black-box HTTP tests: a real server on a loopback port over the
// licensing fixture's database (on the backend of the run), with helpers to sign in as a
// browser or an API client does.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "licensing/fixture.h"
#include "web/server.h"

namespace candor::web::testing {

using nlohmann::json;

class CaseworkTest : public licensing::testing::LicensingTest {
 protected:
  void SetUp() override {
    LicensingTest::SetUp();
    ServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.password_cost = licensing::PasswordCost::minimal;
    options.checks = checks_.get();
    options.register_key = &register_key_;
    configure(options);
    server_ = std::make_unique<Server>(*db_, clock_, options);
    port_ = server_->bind().value();
    thread_ = std::thread([this] { (void)server_->serve(); });
  }
  // For a test's own limits and timeouts.
  virtual void configure(ServerOptions& /*options*/) {}
  void TearDown() override {
    server_->stop();
    thread_.join();
  }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_follow_location(false);
    return c;
  }

  // Signs in through the API and returns the bearer token.
  std::string token(const std::string& email, const std::string& password) {
    auto c = client();
    auto r = c.Post("/api/v1/session", json{{"email", email}, {"password", password}}.dump(),
                    "application/json");
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
    return json::parse(r->body)["token"].get<std::string>();
  }

  httplib::Result api_post(const std::string& bearer, const std::string& path, const json& body) {
    auto c = client();
    return c.Post(path, {{"Authorization", "Bearer " + bearer}}, body.dump(), "application/json");
  }
  httplib::Result api_get(const std::string& bearer, const std::string& path) {
    auto c = client();
    return c.Get(path, {{"Authorization", "Bearer " + bearer}});
  }

  // Signs in through the page as a browser does: GET /login for the CSRF cookie and field,
  // POST the form. Returns the session cookie ("candor_session=...").
  std::string browser_sign_in(const std::string& email, const std::string& password,
                              httplib::Response* last = nullptr) {
    auto c = client();
    auto form = c.Get("/login");
    EXPECT_TRUE(form);
    const std::string set_cookie = form->get_header_value("Set-Cookie");
    const std::string login_cookie = set_cookie.substr(0, set_cookie.find(';'));
    std::smatch m;
    EXPECT_TRUE(
        std::regex_search(form->body, m, std::regex("name=\"csrf_token\" value=\"([0-9a-f]+)\"")));
    auto posted = c.Post("/login", {{"Cookie", login_cookie}},
                         "email=" + email + "&password=" + password + "&csrf_token=" + m[1].str(),
                         "application/x-www-form-urlencoded");
    const std::string session = posted->get_header_value("Set-Cookie");
    if (last != nullptr) *last = *posted;
    return session.substr(0, session.find(';'));
  }

  reg::SignerKey register_key_ = reg::SignerKey::generate("register.test/candor").value();
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace candor::web::testing
