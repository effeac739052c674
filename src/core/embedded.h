// A file compiled into the binary by cmake/Embed.cmake (migrations, page templates), so that
// `candor` needs nothing beside itself at run time.
#pragma once

#include <span>
#include <string_view>

namespace candor {

struct EmbeddedFile {
  std::string_view name;  // The file name without folders, e.g. "0001_settings.sql".
  std::string_view content;
};

}  // namespace candor
