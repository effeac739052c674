#include "core/error.h"

#include <gtest/gtest.h>

#include <memory>

namespace candor {
namespace {

Result<int> parse_positive(int n) {
  if (n <= 0) return Error::invalid_argument("must be positive", "n");
  return n;
}

Result<int> doubled(int n) {
  const int value = CANDOR_TRY(parse_positive(n));
  return value * 2;
}

Result<void> check(int n) {
  CANDOR_TRY(parse_positive(n));
  return {};
}

TEST(Result, CarriesAValue) {
  auto r = doubled(21);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), 42);
}

TEST(Result, TryReturnsTheErrorUnchanged) {
  auto r = doubled(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(r.error().to_string(), "n: must be positive");
  EXPECT_FALSE(check(0).ok());
  EXPECT_TRUE(check(1).ok());
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(Error, WithinAddsOuterContext) {
  Error e = Error::invalid_argument("not a number", "line 3").within("items.json");
  EXPECT_EQ(e.to_string(), "items.json: line 3: not a number");
  Error bare = Error::not_found("no such case").within("case 12");
  EXPECT_EQ(bare.to_string(), "case 12: no such case");
}

TEST(Error, KindNamesAreStable) {
  EXPECT_EQ(to_string(ErrorKind::invalid_argument), "invalid_argument");
  EXPECT_EQ(to_string(ErrorKind::permission_denied), "permission_denied");
  EXPECT_EQ(to_string(ErrorKind::data_loss), "data_loss");
}

}  // namespace
}  // namespace candor
