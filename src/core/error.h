// Error and Result<T>: how every Candor function reports failure.
//
// Errors are values, never exceptions across a module boundary. An Error has a kind (what the
// caller may do about it), a message for people, and a context naming where it happened (a file
// and line, a field, a case id). Only the web layer turns kinds into HTTP status codes and only
// the CLI turns them into exit codes.
//
// Result<T> holds either a T or an Error and is [[nodiscard]], so a failure cannot be ignored by
// accident. CANDOR_TRY(expr) unwraps a Result or returns its Error from the enclosing function.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace candor {

enum class ErrorKind {
  invalid_argument,     // The input is wrong; retrying it unchanged cannot succeed.
  not_found,            // The thing named does not exist.
  conflict,             // The request clashes with the current state (duplicate, wrong state).
  permission_denied,    // The caller is known but may not do this.
  unauthenticated,      // The caller is not known.
  failed_precondition,  // The system is not in a state to do this (e.g. schema too new).
  resource_exhausted,   // A limit was reached (size, rate, disk).
  unavailable,          // A dependency is down or missing; retrying later may succeed.
  data_loss,            // Stored data is corrupt or inconsistent.
  internal,             // A bug: an invariant of ours was broken.
};

std::string_view to_string(ErrorKind kind);

class Error {
 public:
  Error(ErrorKind kind, std::string message, std::string context = {})
      : kind_(kind), message_(std::move(message)), context_(std::move(context)) {}

  static Error invalid_argument(std::string message, std::string context = {}) {
    return {ErrorKind::invalid_argument, std::move(message), std::move(context)};
  }
  static Error not_found(std::string message, std::string context = {}) {
    return {ErrorKind::not_found, std::move(message), std::move(context)};
  }
  static Error conflict(std::string message, std::string context = {}) {
    return {ErrorKind::conflict, std::move(message), std::move(context)};
  }
  static Error permission_denied(std::string message, std::string context = {}) {
    return {ErrorKind::permission_denied, std::move(message), std::move(context)};
  }
  static Error failed_precondition(std::string message, std::string context = {}) {
    return {ErrorKind::failed_precondition, std::move(message), std::move(context)};
  }
  static Error unavailable(std::string message, std::string context = {}) {
    return {ErrorKind::unavailable, std::move(message), std::move(context)};
  }
  static Error data_loss(std::string message, std::string context = {}) {
    return {ErrorKind::data_loss, std::move(message), std::move(context)};
  }
  static Error internal(std::string message, std::string context = {}) {
    return {ErrorKind::internal, std::move(message), std::move(context)};
  }

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const std::string& context() const { return context_; }

  // Adds an outer context, so "line 3" inside "items.json" reads "items.json: line 3".
  Error&& within(std::string_view outer) &&;

  // "context: message", or just the message when there is no context.
  std::string to_string() const;

 private:
  ErrorKind kind_;
  std::string message_;
  std::string context_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  void value() const {}

  // REQUIRES: !ok().
  const Error& error() const& { return *error_; }
  Error&& error() && { return *std::move(error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace candor

// Evaluates a Result expression; on error returns the Error from the enclosing function,
// otherwise yields the value. A GNU statement expression, supported by GCC and Clang.
#define CANDOR_TRY(expr)                            \
  __extension__({                                   \
    auto&& candor_try_result_ = (expr);             \
    if (!candor_try_result_.ok()) {                 \
      return std::move(candor_try_result_).error(); \
    }                                               \
    std::move(candor_try_result_).value();          \
  })
