// The core module: value types shared by every other module. Nothing here does I/O except
// reading Debian's iso-codes data once.
#pragma once

#include "core/canonical_json.h"
#include "core/country.h"
#include "core/csv.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/timestamp.h"
#include "core/utf8.h"
#include "core/version.h"
