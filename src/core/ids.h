// Strong id types: a CaseId cannot be passed where a UserId is expected, although both are
// 64-bit integers underneath. Ids are plain values: cheap to copy, ordered, hashable.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace candor {

template <typename Tag, typename Rep = std::int64_t>
class Id {
 public:
  using rep_type = Rep;

  constexpr Id() = default;
  constexpr explicit Id(Rep value) : value_(value) {}

  constexpr Rep value() const { return value_; }
  constexpr auto operator<=>(const Id&) const = default;

 private:
  Rep value_{};
};

using OrganisationId = Id<struct OrganisationTag>;
using UserId = Id<struct UserTag>;
using CaseId = Id<struct CaseTag>;
using DocumentId = Id<struct DocumentTag>;
using AuditEventId = Id<struct AuditEventTag>;

}  // namespace candor

template <typename Tag, typename Rep>
struct std::hash<candor::Id<Tag, Rep>> {
  std::size_t operator()(const candor::Id<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
