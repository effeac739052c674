// A fixture for the register's HTTP tests: a migrated database in a temporary folder, a
// signing key, and `candor serve`'s server on a free port, stopped after each test.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <thread>

#include "register/note.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"
#include "support/test_database.h"
#include "web/server.h"

namespace candor::testing {

class RegisterServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CANDOR_TEST_DATABASE(location, dir_, "candor.db");
    db_ = store::Database::open({.location = location}).value();
    ASSERT_TRUE(store::migrate(*db_, clock_).ok());
    key_ = reg::SignerKey::generate("register.test/candor").value();
    web::ServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.password_cost = licensing::PasswordCost::minimal;
    options.register_key = &key_;
    server_ = std::make_unique<web::Server>(*db_, clock_, options);
    port_ = server_->bind().value();
    thread_ = std::thread([this] { (void)server_->serve(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }
  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path);
  }

  TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
  reg::SignerKey key_;
  std::unique_ptr<web::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace candor::testing
