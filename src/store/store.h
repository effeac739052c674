// The store module: the Database interface, its backends and schema migrations.
#pragma once

#include "store/database.h"
#include "store/migrations.h"
#include "store/value.h"
