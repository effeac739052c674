#include "core/error.h"

namespace candor {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return "invalid_argument";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::permission_denied: return "permission_denied";
    case ErrorKind::unauthenticated: return "unauthenticated";
    case ErrorKind::failed_precondition: return "failed_precondition";
    case ErrorKind::resource_exhausted: return "resource_exhausted";
    case ErrorKind::unavailable: return "unavailable";
    case ErrorKind::data_loss: return "data_loss";
    case ErrorKind::internal: return "internal";
  }
  return "internal";
}

Error&& Error::within(std::string_view outer) && {
  if (context_.empty()) {
    context_ = std::string(outer);
  } else if (!outer.empty()) {
    context_ = std::string(outer) + ": " + context_;
  }
  return std::move(*this);
}

std::string Error::to_string() const {
  if (context_.empty()) return message_;
  return context_ + ": " + message_;
}

}  // namespace candor
