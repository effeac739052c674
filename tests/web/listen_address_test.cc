#include "web/listen_address.h"

#include <gtest/gtest.h>

namespace candor::web {
namespace {

TEST(ListenAddress, ParsesHostsAndPorts) {
  struct Case {
    const char* text;
    const char* host;
    int port;
  };
  const Case cases[] = {
      {"127.0.0.1:8080", "127.0.0.1", 8080},
      {"localhost:0", "localhost", 0},
      {"[::1]:9000", "::1", 9000},
      {"0.0.0.0:65535", "0.0.0.0", 65535},
  };
  for (const auto& c : cases) {
    auto parsed = ListenAddress::parse(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error().to_string();
    EXPECT_EQ(parsed->host, c.host);
    EXPECT_EQ(parsed->port, c.port);
  }
}

TEST(ListenAddress, RefusesMalformedAddresses) {
  for (const char* text :
       {"", "8080", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:http", "127.0.0.1:65536",
        "127.0.0.1:-1", "::1:8080", "host name:80", "127.0.0.1:80x", "[]:80"}) {
    auto parsed = ListenAddress::parse(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().kind(), ErrorKind::invalid_argument);
    }
  }
}

}  // namespace
}  // namespace candor::web
