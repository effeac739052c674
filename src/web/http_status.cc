#include "web/http_status.h"

namespace candor::web {

int http_status(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return 400;
    case ErrorKind::unauthenticated: return 401;
    case ErrorKind::permission_denied: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::failed_precondition: return 412;
    case ErrorKind::resource_exhausted: return 429;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::data_loss:
    case ErrorKind::internal: return 500;
  }
  return 500;
}

}  // namespace candor::web
