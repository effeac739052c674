#include "core/ids.h"

#include <gtest/gtest.h>

#include <type_traits>
#include <unordered_set>

namespace candor {
namespace {

// Rule: ids of different kinds do not convert into each other, nor from bare integers.
static_assert(!std::is_convertible_v<CaseId, UserId>);
static_assert(!std::is_convertible_v<std::int64_t, CaseId>);
static_assert(std::is_trivially_copyable_v<CaseId>);

TEST(Id, ComparesAndHashesByValue) {
  EXPECT_EQ(CaseId{3}, CaseId{3});
  EXPECT_LT(CaseId{2}, CaseId{3});
  std::unordered_set<CaseId> ids{CaseId{1}, CaseId{2}, CaseId{1}};
  EXPECT_EQ(ids.size(), 2U);
  EXPECT_EQ(UserId{9}.value(), 9);
}

}  // namespace
}  // namespace candor
