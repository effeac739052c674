// The one place where an Error's kind becomes an HTTP status code.
#pragma once

#include "core/error.h"

namespace candor::web {

int http_status(ErrorKind kind);

}  // namespace candor::web
