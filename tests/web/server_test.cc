#include "web/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/version.h"
#include "store/migrations.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::web {
namespace {

class FixedClock final : public Clock {
 public:
  Timestamp now() const override {
    return Timestamp::parse_rfc3339("2026-11-29T12:00:00Z").value();
  }
};

// Runs a real server on a free loopback port for the length of one test.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(DemoMode::off); }
  void TearDown() override { stop(); }

  void start(DemoMode demo) {
    CANDOR_TEST_DATABASE(location, dir_, "candor.db");
    db_ = store::Database::open({.location = location}).value();
    ASSERT_TRUE(store::migrate(*db_, clock_).ok());
    ServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.demo = demo;
    server_ = std::make_unique<Server>(*db_, clock_, options);
    auto port = server_->bind();
    ASSERT_TRUE(port.ok()) << port.error().to_string();
    port_ = port.value();
    thread_ = std::thread([this] { ASSERT_TRUE(server_->serve().ok()); });
  }

  void stop() {
    if (server_ == nullptr) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }

  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path);
  }

  testing::TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(ServerTest, HealthzReportsVersionBackendAndSchema) {
  auto response = get("/healthz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(response->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["version"], kVersion);
  EXPECT_EQ(body["backend"], testing::postgresql_run() ? "postgresql" : "sqlite");
  EXPECT_EQ(body["schema_version"], store::builtin_migrations(db_->backend()).back().version);
  EXPECT_EQ(body["time"], "2026-11-29T12:00:00Z");
}

TEST_F(ServerTest, HomePageSaysWhatTheServiceIs) {
  auto response = get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(response->body.find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(response->body.find("Export control of cyber-surveillance technology"),
            std::string::npos);
  EXPECT_NE(response->body.find("<main class=\"govuk-main-wrapper\" id=\"main-content\""),
            std::string::npos);
  EXPECT_EQ(response->body.find("Demonstration"), std::string::npos);
  EXPECT_EQ(response->body.find("<script"), std::string::npos);  // Works without JavaScript.
}

TEST_F(ServerTest, DemoModeShowsABanner) {
  stop();
  start(DemoMode::on);
  auto response = get("/");
  ASSERT_TRUE(response);
  EXPECT_NE(response->body.find("Demonstration"), std::string::npos);
}

TEST_F(ServerTest, EveryResponseCarriesSecurityHeaders) {
  for (const char* path : {"/", "/healthz", "/no-such-page"}) {
    auto response = get(path);
    ASSERT_TRUE(response) << path;
    EXPECT_NE(response->get_header_value("Content-Security-Policy").find("default-src 'self'"),
              std::string::npos)
        << path;
    EXPECT_EQ(response->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(response->get_header_value("X-Frame-Options"), "DENY") << path;
  }
}

TEST_F(ServerTest, UnknownPathIsAnHtmlNotFoundPage) {
  auto response = get("/no-such-page");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_NE(response->body.find("There is no page at this address."), std::string::npos);
}

TEST_F(ServerTest, UnknownApiPathIsJsonNotFound) {
  auto response = get("/api/v1/nothing");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  auto body = nlohmann::json::parse(response->body);
  EXPECT_EQ(body["error"]["kind"], "not_found");
}

TEST_F(ServerTest, ServesTheStylesheet) {
  auto response = get("/assets/candor.css");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(get("/assets/missing.css")->status, 404);
  EXPECT_EQ(get("/assets/../CMakeLists.txt")->status, 404);
}

TEST_F(ServerTest, OversizedBodyIsRefused) {
  httplib::Client client("127.0.0.1", port_);
  auto response = client.Post("/", std::string(7 * 1024 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST(Server, BindingATakenPortIsUnavailable) {
  testing::TempDir dir;
  FixedClock clock;
  auto db = store::Database::open({.location = dir.file("candor.db")}).value();
  ServerOptions options;
  options.listen = {"127.0.0.1", 0};
  Server first(*db, clock, options);
  const int port = first.bind().value();
  options.listen.port = port;
  Server second(*db, clock, options);
  auto bound = second.bind();
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.error().kind(), ErrorKind::unavailable);
}

}  // namespace
}  // namespace candor::web
