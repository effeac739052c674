// The web module: the HTTP server, its route table, handlers and server-rendered pages.
#pragma once

#include "web/listen_address.h"
#include "web/server.h"
