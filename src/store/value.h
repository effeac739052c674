// The values that pass between Candor and a database: statement parameters and row cells.
// Backend types (sqlite3_value, pqxx::field) never appear outside the backend that owns them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.h"

namespace candor::store {

struct Blob {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Blob&) const = default;
};

// SQL NULL is std::monostate. Booleans are stored as integers 0 and 1.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

inline Value null_value() { return std::monostate{}; }

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const std::vector<std::string>& columns() const { return *columns_; }
  // REQUIRES: index < size().
  const Value& at(std::size_t index) const { return values_[index]; }
  bool is_null(std::size_t index) const {
    return std::holds_alternative<std::monostate>(values_[index]);
  }

  // The cell as T: std::int64_t, double, bool, std::string, Blob, or std::optional of one of
  // them (NULL gives nullopt). Errors: internal when the cell holds another type, since
  // that means the query and the caller disagree.
  template <typename T>
  Result<T> get(std::size_t index) const;

 private:
  Error type_error(std::size_t index, const char* wanted) const;

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

namespace detail {
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

template <typename T>
Result<T> Row::get(std::size_t index) const {
  if (index >= values_.size()) {
    return Error::internal("column " + std::to_string(index) + " is past the end of the row");
  }
  if constexpr (detail::is_optional<T>::value) {
    if (is_null(index)) return T{};
    auto inner = get<typename T::value_type>(index);
    if (!inner.ok()) return std::move(inner).error();
    return T{std::move(inner).value()};
  } else if constexpr (std::is_same_v<T, bool>) {
    if (const auto* v = std::get_if<std::int64_t>(&values_[index])) return *v != 0;
    return type_error(index, "a boolean");
  } else if constexpr (std::is_same_v<T, double>) {
    if (const auto* v = std::get_if<double>(&values_[index])) return *v;
    if (const auto* v = std::get_if<std::int64_t>(&values_[index])) return static_cast<double>(*v);
    return type_error(index, "a number");
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    if (const auto* v = std::get_if<std::int64_t>(&values_[index])) return *v;
    return type_error(index, "an integer");
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (const auto* v = std::get_if<std::string>(&values_[index])) return *v;
    return type_error(index, "text");
  } else {
    static_assert(std::is_same_v<T, Blob>, "Row::get supports int64_t, double, bool, string, Blob");
    if (const auto* v = std::get_if<Blob>(&values_[index])) return *v;
    return type_error(index, "a blob");
  }
}

}  // namespace candor::store
